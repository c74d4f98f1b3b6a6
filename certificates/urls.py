"""Public certificate addresses (DESIGN.md §4: a contract — printed QR codes carry them)."""

from django.urls import path

from .views import public as views

app_name = "certificates"

urlpatterns = [
    path("v/<str:token>", views.verify_page, name="verify"),
    path("api/v1/certificates/verify/<str:token>", views.verify_api, name="verify_api"),
    path("api/v1/certificates/status/<int:list_id>", views.status_list, name="status_list"),
    path(".well-known/jwks.json", views.jwks, name="jwks"),
    path("api/schema/", views.openapi_schema, name="schema"),
]
