from django.conf import settings
from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from accounts import views as account_views
from config.health import healthz


def favicon(request):
    # Resolved per request: the hashed static name exists only after collectstatic.
    return redirect(static("img/logo.svg"), permanent=True)


admin.site.site_header = admin.site.site_title = "安训 Anxun"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon),
    # Both admin sites' own login forms are replaced by allauth's rate-limited login.
    path("django-admin/login/", account_views.admin_login),
    path("admin/login/", account_views.admin_login),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/signup/", account_views.WorkerSignupView.as_view(), name="account_signup"),
    path("accounts/", include("allauth.urls")),
    path("certificates/scan/", include("certificates.urls_staff")),
    path("certificates/mine/", include("certificates.urls_worker")),
    path("certificates/manage/", include("certificates.urls_bureau")),
    path("", include("certificates.urls")),
    path("", include("accounts.urls")),
    path("", include("cms.urls")),
    path("training/", include("training.urls")),
    path("exams/practice/", include("exams.urls_practice")),
    path("exams/practical/", include("exams.practical.urls")),
    path("centre/", include("exams.practical.urls_centre")),
    path("centre/", include("certificates.urls_desk")),
    path("exams/staff/", include("exams.urls_staff")),
    path("exams/", include("exams.urls")),
    path("enterprise/imports/", include("training.urls_imports")),
    path("dashboards/", include("dashboards.urls")),
    path("feedback/", include("feedback.urls")),
    path("sitemap.xml", sitemap),
]

if settings.DEBUG:
    from django.conf.urls.static import static as static_urlpatterns

    urlpatterns += static_urlpatterns(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

if getattr(settings, "ANXUN_BENCH", False):
    from django.http import HttpResponse

    def bench_bare(request):
        # The benchmarks' yardstick: the same middleware stack, no database, no template.
        return HttpResponse(b"ok", content_type="text/plain")

    urlpatterns.insert(0, path("bench/bare", bench_bare))

# Wagtail serves every other path from the page tree: keep it last.
urlpatterns += [path("", include(wagtail_urls))]
