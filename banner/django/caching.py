"""Whether what a template renders now can reach another visitor through one of Django's cache tools.

Per-visitor pages (CONSENT_BANNER["PER_VISITOR"]) carry one visitor's decision; ConsentMiddleware makes
their responses private (Cache-Control: private, Vary: Cookie, Sec-GPC), which every cache honouring HTTP
respects, Django's per-site cache included when it runs outside ConsentMiddleware. What it cannot mend is a
cache that stores the render before the middleware sees the response:

- `{% cache %}` stores the fragment itself;
- `@cache_page` (and a cache middleware listed after ConsentMiddleware) stores the response as the view
  returns it, or, for a TemplateResponse, as soon as it is rendered (a post-render callback).

`unsafe_cache(request)` looks for them between the render and ConsentMiddleware on the call stack, and
says which one it found; the tags then render as for every visitor, which any cache may keep.
"""

import sys

from django.middleware.cache import UpdateCacheMiddleware
from django.template.response import SimpleTemplateResponse
from django.templatetags.cache import CacheNode


def _closes_over_cache(function):
    """A function holding a cache middleware in its closure (the view wrapper @cache_page makes, and the
    post-render callback it adds to a TemplateResponse)."""
    for cell in getattr(function, "__closure__", None) or ():
        try:
            if isinstance(cell.cell_contents, UpdateCacheMiddleware):
                return True
        except ValueError:              # an empty cell
            continue
    return False


def unsafe_cache(request):
    """The cache tool that would store this render for other visitors, or None. Without ConsentMiddleware on
    the stack nothing makes the response private: that counts as unsafe too."""
    from .middleware import ConsentMiddleware
    frame = sys._getframe(1)
    while frame is not None:
        for value in frame.f_locals.values():
            if isinstance(value, ConsentMiddleware):
                return None
            if isinstance(value, CacheNode):
                return "{% cache %}"
            if isinstance(value, UpdateCacheMiddleware) or (callable(value) and _closes_over_cache(value)):
                return "@cache_page or a cache middleware inside ConsentMiddleware"
            if isinstance(value, SimpleTemplateResponse) and any(
                    _closes_over_cache(c) for c in getattr(value, "_post_render_callbacks", ())):
                return "@cache_page (a TemplateResponse stored once rendered)"
        frame = frame.f_back
    return "no ConsentMiddleware (nothing makes the response private)"
