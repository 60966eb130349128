"""Pages: the Jinja environment, its filters, and one context per page kind."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

import jinja2
import markupsafe

from ..content.markup import MarkdownRenderer
from ..errors import bounded
from ..i18n import Formats, in_source_language, language_name, translations
from ..images.favicon import favicon_svg
from ..model import Assertion, Catalog, Credential, Page, Stack, Translation
from ..urls import Urls, relative_root
from .catalog_index import catalog_facets
from .discovery import credential_json_ld, language_alternates
from .sharing import embed_snippet, linkedin_add_url, linkedin_fields, qr_svg
from .template_cache import SealedBytecodeCache
from .template_i18n import TranslatingEnvironment, translations_key

THEME = Path(__file__).parent.parent / "themes" / "default"
PAGE_TEMPLATES = (
    "home.html", "stack.html", "credential.html", "assertion.html", "page.html", "verify.html", "404.html",
)  # fmt: skip
VERIFY_LINES = "_verify_lines.html"  # its `check_strings`: Renderer.verify_lines
# Names the compiled-template cache with the shape of the code it holds: bump it when what
# compiles templates changes (interface strings compiled in; "output1" had its own generator).
COMPILED_CODE = "jinja2"


class TemplateProblem(Exception):
    """A template that does not compile or render; carries its name and line."""

    def __init__(self, name: str, line: int, message: str):
        super().__init__(f"{name}:{line}: {message}")
        self.name, self.line, self.message = name, line, message

    def __reduce__(self):
        # Worker processes send it to the parent (see `parallel`).
        return TemplateProblem, (self.name, self.line, self.message)


def make_environment(
    templates_dir: Path | None,
    language: str = "en",
    cache_dir: Path | None = None,
    locales: Path | None = None,
) -> jinja2.Environment:
    """Site templates shadow the default theme by name; 'default/<name>' always means the original.

    `cache_dir` keeps compiled templates between builds (Jinja checks each one's source): a
    folder only this user writes (template_cache), since loading compiled code runs it;
    `locales`: the site's own interface catalogs, over the theme's.
    """
    default = jinja2.FileSystemLoader(str(THEME / "templates"))
    loaders: list[jinja2.BaseLoader] = []
    if templates_dir is not None and templates_dir.is_dir():
        loaders.append(jinja2.FileSystemLoader(str(templates_dir)))
    loaders += [jinja2.PrefixLoader({"default": default}), default]
    interface = translations(language, locales)
    # Interface strings compiled into the templates: an earner page 0.64 → 0.23 ms of CPU.
    env = TranslatingEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=jinja2.select_autoescape(("html", "xml", "svg")),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
        bytecode_cache=_bytecode_cache(cache_dir, translations_key(language, interface)),
        # A build compiles its templates once and renders thousands of pages: without this,
        # every page stats base.html and each include to see whether it changed.
        auto_reload=False,
    )
    env.interface_translations = interface
    # Interface strings come from the theme's message catalog (see i18n); newstyle gettext
    # escapes the variables of {% trans %} blocks like any other output. Literal strings are
    # translated when a template compiles (template_i18n); the functions serve the rest.
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_translations(interface, newstyle=True)  # type: ignore[attr-defined]
    formats = Formats(language, locales)
    env.filters["date"] = formats.date
    env.filters["money"] = formats.money
    env.filters["number"] = formats.number
    env.filters["nobreak_hyphens"] = nobreak_hyphens
    env.globals["language"] = language
    return env


def nobreak_hyphens(text) -> markupsafe.Markup:
    """`text`, escaped, with each hyphenated word kept on one line ("Micro-credentials" never
    wraps as "Micro-" / "credentials"); the words stay as typed, so copying gives them back."""
    escaped = str(markupsafe.escape(text))
    return markupsafe.Markup(
        re.sub(r"[^\s-]+(?:-[^\s-]+)+", r'<span class="nowrap">\g<0></span>', escaped)
    )


def _bytecode_cache(folder: Path | None, key: str) -> jinja2.BytecodeCache | None:
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # a read-only checkout builds anyway, compiling as before
    # Compiled code holds the interface strings (template_i18n): one cache per translation.
    return SealedBytecodeCache(folder, f"__jinja2_{COMPILED_CODE}_{key}_%s.cache")


def format_date(value) -> str:
    """An English long date; pages use the `date` filter, which follows the site's language."""
    return Formats("en").date(value)


def format_money(amount, currency: str = "USD") -> str:
    """An English amount ('Free', '$125'); pages use the `money` filter."""
    return Formats("en").money(amount, currency)


def format_number(value) -> str:
    return Formats("en").number(value)


class Renderer:
    """Renders every page kind of a catalog; templates are compiled once, up front."""

    def __init__(
        self,
        catalog: Catalog,
        urls: Urls,
        templates_dir: Path | None,
        language: str | None = None,
        cache_dir: Path | None = None,
    ):
        self.catalog = catalog
        self.urls = urls
        self.markdown = MarkdownRenderer()
        self.language = language or catalog.config.language
        self.templates_dir = templates_dir
        self.cache_dir = cache_dir
        self._languages: dict[str, Renderer] = {}
        self.env = make_environment(templates_dir, self.language, cache_dir, catalog.config.locales)
        self._named = {  # url_for('name'): a dozen links on each of thousands of pages
            "home": urls.home,
            "verify": urls.verify_page,
            "style": urls.style,
            "print": urls.print_style,
            "favicon": urls.favicon,
            "favicon_ico": urls.favicon_ico,
            "apple_touch_icon": urls.apple_touch_icon,
            "verify_script": urls.verify_script,
            "share_script": urls.share_script,
            "status_script": urls.status_script,
            "revocations": urls.revocations_json,
            "issuer": urls.issuer_json,
            "feed": urls.feed,
            "catalog_json": urls.catalog_json,
            "catalog_script": urls.catalog_script,
        }
        # verify.js's check lines for the earner pages' in-place verify, in a language other
        # than English (verify.js's own): one file for the site, fetched when a reader verifies.
        self.verify_lines_path = (
            None if in_source_language(self.language) else urls.verify_lines(self.language)
        )
        if self.verify_lines_path is not None:
            self._named["verify_lines"] = self.verify_lines_path
        if catalog.config.issuer.image:  # the issuer's logo, beside its name on earner pages
            self._named["issuer_image"] = urls.issuer_image(catalog.config.issuer.image.format)
        self.env.globals.update(
            site=catalog.config,
            catalog=catalog,
            nav_pages=[p for p in catalog.pages if p.nav],
            markdown=self.markdown.author,
            earner_markdown=self.markdown.earner,
            verify_lines=self.verify_lines_path is not None,
        )
        self.templates = {}
        for name in PAGE_TEMPLATES:
            try:
                self.templates[name] = self.env.get_template(name)
            except jinja2.TemplateSyntaxError as exc:
                raise TemplateProblem(
                    exc.filename or exc.name or name, exc.lineno, exc.message or "syntax error"
                ) from None

    def _render(
        self,
        template: str,
        output_path: str,
        root: str | None = None,
        card: str | None = None,
        **context,
    ) -> bytes:
        root = relative_root(output_path) if root is None else root
        # Link previews (Open Graph, Twitter cards) need absolute image URLs.
        share_image = self.urls.absolute(card or self.urls.site_card)

        def url_for(target, kind: str = "page") -> str:
            return root + self._path(target, kind).removesuffix("index.html")

        def badge_srcset(target) -> str:
            """A badge's `srcset`: its credential's smaller copies, then the full image (for an
            Assertion, its baked image); '' for a badge with no copies (SVG, small PNG)."""
            credential = target if isinstance(target, Credential) else None
            if credential is None:
                credential = self.catalog.credential_of(target)
            variants = self.urls.badge_variants(credential)
            if not variants:
                return ""
            full = url_for(target, "image")
            return ", ".join(
                [*(f"{root}{path} {width}w" for width, path in variants),
                 f"{full} {credential.image.width}w"]
            )  # fmt: skip

        try:
            html = self.templates[template].render(
                root=root or "./",
                url_for=url_for,
                badge_srcset=badge_srcset,
                absolute_url=self.urls.absolute,
                canonical_url=self.urls.absolute(output_path),
                page_path=output_path,
                share_image=share_image,
                **context,
            )
        except Exception as exc:
            # Templates are the site's code: whatever one raises ({{ 1 // 0 }}, url_for(42), a
            # filter given the wrong value, an include of itself) is the user's mistake, reported
            # at its template line with the page it was rendering, never as a traceback.
            raise _problem(exc, template, output_path) from None
        return html.encode("utf-8")

    def _path(self, target, kind: str) -> str:
        """Output path of a model object (or of a named page) for url_for."""
        urls = self.urls
        if isinstance(target, str):
            return self._named[target]
        if isinstance(target, Credential):
            return {
                "page": urls.criteria_page,
                "json": urls.badge_class_json,
                "image": urls.badge_image,
            }[kind](target)
        if isinstance(target, Assertion):
            if kind == "image":
                return urls.baked_image(target, self.catalog.credential_of(target))
            if kind == "credential_image":  # Open Badges 3.0, when signing is on
                return urls.credential_image(target, self.catalog.credential_of(target))
            return {
                "page": urls.assertion_page,
                "json": urls.assertion_json,
                "credential": urls.credential_json,  # Open Badges 3.0, when signing is on
            }[kind](target)
        if isinstance(target, Stack):
            return urls.stack_page(target)
        if isinstance(target, Page):
            return urls.page(target)
        raise TypeError(f"url_for cannot link to {type(target).__name__}")

    def home(self) -> bytes:
        return self._render("home.html", self.urls.home, facets=catalog_facets(self.catalog))

    def stack(self, stack: Stack) -> bytes:
        return self._render(
            "stack.html",
            self.urls.stack_page(stack),
            card=self.urls.stack_card(stack),
            stack=stack,
            credentials=self.catalog.credentials_of(stack),
        )

    def credential(self, credential: Credential) -> bytes:
        return self._criteria_page(credential, None)

    def translation(self, translation: Translation) -> bytes:
        """A credential's criteria page in another language, with the interface in that language."""
        if translation.language not in self._languages:
            self._languages[translation.language] = Renderer(
                self.catalog, self.urls, self.templates_dir, translation.language, self.cache_dir
            )
        return self._languages[translation.language]._criteria_page(
            self.catalog.by_slug[translation.credential.slug], translation
        )

    def _criteria_page(self, credential: Credential, translation: Translation | None) -> bytes:
        catalog, urls = self.catalog, self.urls
        stack = catalog.stack_of(credential)
        path = (
            urls.translated_criteria_page(credential, translation.language)
            if translation
            else urls.criteria_page(credential)
        )
        current = urls.absolute(path)
        alternates = [
            {"language": lang, "url": url, "name": language_name(lang), "current": url == current}
            for lang, url in language_alternates(catalog, urls, credential)
        ]
        return self._render(
            "credential.html",
            path,
            card=urls.credential_card(credential),
            credential=translation.credential if translation else credential,
            stack=stack,
            # A retired credential has left its stack's order: its page names the stack only.
            step=stack.credentials.index(credential.slug) + 1
            if stack and credential.slug in stack.credentials
            else None,
            steps=len(stack.credentials) if stack else None,
            prerequisites=[catalog.by_slug[s] for s in credential.prerequisites],
            leads_to=[c for c in catalog.credentials if credential.slug in c.prerequisites],
            alternates=alternates,
            json_ld=markupsafe.Markup(credential_json_ld(catalog, urls, credential, translation)),
        )

    def assertion(self, assertion: Assertion) -> bytes:
        credential = self.catalog.credential_of(assertion)
        config, urls = self.catalog.config, self.urls
        page_url = urls.assertion_page_url(assertion)
        return self._render(
            "assertion.html",
            urls.assertion_page(assertion),
            card=urls.credential_card(credential),  # one card per credential, not per assertion
            assertion=assertion,
            credential=credential,
            status=assertion.status(self.catalog.now),
            assertion_url=urls.assertion_id(assertion),
            page_url=page_url,
            linkedin_url=linkedin_add_url(assertion, credential, config, urls),
            linkedin=linkedin_fields(assertion, credential, config, urls),
            # Called from the template with the interface language's words.
            embed_html=lambda verified_by: embed_snippet(
                assertion, credential, config, urls, verified_by
            ),
            qr_code=lambda label: qr_svg(page_url, label),
        )

    def page(self, page: Page) -> bytes:
        return self._render("page.html", self.urls.page(page), page=page)

    def verify(self) -> bytes:
        path = self.urls.verify_page
        same_site = self.urls.same_site_badges(self.catalog.config.signing is not None)
        same_site["page"] = relative_root(path) + same_site["page"]
        return self._render("verify.html", path, same_site_badges=same_site)

    def verify_lines(self) -> bytes:
        """The check lines of verify.js in the site's language, as JSON (`_verify_lines.html`'s
        `check_strings`, which the verify page carries inline)."""
        try:
            strings = self.env.get_template(VERIFY_LINES).module.check_strings  # type: ignore[attr-defined]
        except Exception as exc:  # the site's own _verify_lines.html: its mistake, at its line
            raise _problem(exc, VERIFY_LINES, self.verify_lines_path or VERIFY_LINES) from None
        return (json.dumps(strings, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode()

    def not_found(self) -> bytes:
        # Hosts serve 404.html at whatever depth was asked for, so its links start at the base
        # URL; its styles and icon are inline, so it is styled off the production host too (a
        # local preview) and asks nothing of another host.
        assets = THEME / "assets"
        return self._render(
            "404.html",
            self.urls.not_found,
            root=self.urls.base,
            inline_style=_inline_css(assets / "style.css"),
            inline_print_style=_inline_css(assets / "print.css"),
            icon_data_uri="data:image/svg+xml," + quote(favicon_svg().decode().strip()),
        )


def _inline_css(path: Path) -> markupsafe.Markup:
    """A stylesheet's text for a <style> element; '</' cannot end the element early."""
    return markupsafe.Markup(path.read_text(encoding="utf-8").replace("</", "<\\/"))


def _problem(exc: Exception, template: str, output_path: str) -> TemplateProblem:
    """A template's failure as `template:line: message (rendering page)`."""
    if isinstance(exc, jinja2.TemplateSyntaxError):  # an included template that does not compile
        name, line = exc.filename or exc.name or template, exc.lineno
        message = exc.message or "syntax error"
    else:
        name, line = _template_location(exc, template)
        if isinstance(exc, RecursionError):
            message = "templates include or call each other without end (RecursionError)"
        elif isinstance(exc, jinja2.TemplateError):
            message = str(exc)
        else:
            message = f"{type(exc).__name__}: {exc}"
    # The message may quote what the template computed: one line, cut short.
    return TemplateProblem(name, line, f"{bounded(message, 300)} (rendering {output_path})")


def _template_location(exc: Exception, fallback: str) -> tuple[str, int]:
    """The template and line where a render error happened, from the traceback Jinja rewrites."""
    import traceback

    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(".html") or frame.filename.endswith(".xml"):
            return frame.filename, frame.lineno or 0
    return fallback, 0
