from django.forms.renderers import TemplatesSetting


class AnxunFormRenderer(TemplatesSetting):
    """Every form renders through one accessible template: label, input, help, errors."""

    form_template_name = "django/forms/anxun_div.html"
