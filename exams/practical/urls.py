"""Practical exams for workers, included at ``exams/practical/`` (before the exams URLs)."""

from django.urls import path

from . import views

app_name = "practical"

urlpatterns = [
    path("", views.session_list, name="sessions"),
    path("sessions/<int:session_id>/", views.session_detail, name="session"),
    path("sessions/<int:session_id>/book/", views.book, name="book"),
    path("sessions/<int:session_id>/book.json", views.book_json, name="book_json"),
    path("bookings/", views.my_bookings, name="bookings"),
    path("bookings/<int:booking_id>/cancel/", views.cancel, name="cancel"),
    path("bookings/<int:booking_id>/accept/", views.accept_offer, name="accept"),
    path("bookings/<int:booking_id>/reschedule/", views.reschedule, name="reschedule"),
    path("bookings/<int:booking_id>/ticket/", views.ticket, name="ticket"),
    path(
        "bookings/<int:booking_id>/ticket.<slug:file_format>",
        views.ticket_file,
        name="ticket_file",
    ),
]
