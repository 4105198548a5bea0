from django import template
from django.utils import translation
from django.utils.safestring import mark_safe

from digests.forms import DigestPreferenceForm
from digests.selectors import digest_preference_for

register = template.Library()


@register.inclusion_tag("digests/_preferences_section.html", takes_context=True)
def digest_preferences_section(context):
    """The digest form for the settings page (it posts to digests:preferences)."""
    user = context["request"].user
    form = DigestPreferenceForm(instance=digest_preference_for(user=user))
    return {"digest_form": form, "csrf_token": context.get("csrf_token")}


@register.simple_tag(takes_context=True)
def digest_section(context, section, kind):
    """A section of the digest mail (`kind` "html" or "txt"), rendered once per batch for each
    language and list of items, then reused for every member who gets the same list."""
    key = (translation.get_language(), kind, tuple(item.pk for item in section.items), section.more)
    fragment = section.fragments.get(key)
    if fragment is None:
        template = context.template.engine.get_template(f"digests/email/_{section.key}.{kind}")
        fragment = template.render(
            context.new({"section": section, "SITE_URL": context.get("SITE_URL")})
        )
        section.fragments[key] = fragment
    return mark_safe(fragment)  # our own template's output, autoescaped where it is HTML
