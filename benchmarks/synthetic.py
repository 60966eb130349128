"""Synthetic sites for the benchmark: a badgepress site and the equivalent Hugo site.

Both hold the same work: 50 credentials and N assertions, each assertion published as one HTML
page (the default theme's earner page: share section, QR code of its URL, verify form), one JSON
document and one badge image. Everything is derived from a fixed seed, so a size
always generates the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import random
import subprocess
from pathlib import Path

CREDENTIALS = 50
STACKS = 5
TOPICS = ["Restorative Practices", "Literacy", "STEM", "Equity", "Leadership", "Assessment"]
GRADES = ["Elementary School", "Middle School", "High School"]
FORMATS = ["Online", "In person", "Blended", "Self-paced"]
NAMES = ["Jane Doe", "Ana Ruiz", "Sam Lee", "Kofi Mensah", "Mei Chen", "Omar Haddad"]


def badge_png(seed: int = 0) -> bytes:
    """A 400×400 badge PNG (real pixels, a few KB) like an artist's badge art."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    rng = random.Random(seed)
    color = (rng.randrange(40, 200), rng.randrange(40, 200), rng.randrange(40, 200), 255)
    draw.ellipse((10, 10, 390, 390), fill=color, outline=(20, 20, 20, 255), width=12)
    draw.polygon([(200, 70), (320, 300), (80, 300)], fill=(255, 255, 255, 230))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def credential_slug(index: int) -> str:
    return f"credential-{index:02d}"


def assertion_id(index: int) -> str:
    """Ids look like real ones (lowercase letters and digits) and sort evenly."""
    return hashlib.sha256(f"assertion-{index}".encode()).hexdigest()[:12]


def assertion_yaml(index: int) -> str:
    """One assertion file; about 1% are revoked, a third carry a public name."""
    rng = random.Random(index)
    salt = hashlib.sha256(f"salt-{index}".encode()).hexdigest()[:32]
    identity = hashlib.sha256(f"earner{index}@example.org{salt}".encode()).hexdigest()
    lines = [
        f"credential: {credential_slug(rng.randrange(CREDENTIALS))}",
        "recipient:",
        f"  identity: sha256${identity}",
        f"  salt: {salt}",
    ]
    if index % 3 == 0:
        lines += [f"  name: {rng.choice(NAMES)}", "  public_name: true"]
    lines.append(f"issued_on: {2020 + index % 6}-{1 + index % 12:02d}-{1 + index % 28:02d}")
    lines += [
        "evidence:",
        f"  - url: https://portfolio.example.org/earner-{index}/work",
        "    name: Portfolio entry",
        "    narrative: >-",
        f"      A lesson plan for group {index} and a short video of it in use, with a",
        "      reflection on what changed in the classroom afterwards.",
    ]
    if index % 100 == 7:
        lines += ["revoked: true", "revocation_reason: Issued in error"]
    return "\n".join(lines) + "\n"


def assertion_path(index: int) -> str:
    return f"assertions/{2020 + index % 6}/{assertion_id(index)}.yaml"


def write_badgepress_site(root: Path, assertions: int) -> None:
    """content/, assertions/ for `assertions` badges over 50 credentials in 5 stacks."""
    credentials = root / "content" / "credentials"
    credentials.mkdir(parents=True, exist_ok=True)
    (root / "content" / "site.yaml").write_text(
        "title: Benchmark Micro-credentials\n"
        "base_url: https://badges.example.org/\n"
        "language: en\n"
        "issuer:\n"
        "  name: Example Education Association\n"
        "  url: https://www.example.org/\n"
        "  email: badges@example.org\n"
    )
    per_stack = CREDENTIALS // STACKS
    for stack in range(STACKS):
        folder = credentials / f"stack-{stack}"
        folder.mkdir(exist_ok=True)
        (folder / "index.md").write_text(
            f"---\ntitle: Stack {stack}\nsummary: A learning path of {per_stack} credentials.\n---\n"
            "Earn them in order.\n"
        )
    for index in range(CREDENTIALS):
        folder = credentials / f"stack-{index // per_stack}"
        slug = credential_slug(index)
        (folder / f"{slug}.md").write_text(
            "---\n"
            f'name: "Credential {index}: Building Relationships"\n'
            "summary: Use restorative circles to build community and repair harm.\n"
            f"topics: [{TOPICS[index % len(TOPICS)]}]\n"
            f"grades: [{GRADES[index % len(GRADES)]}]\n"
            f"hours: {5 + index % 20}\n"
            f"format: {FORMATS[index % len(FORMATS)]}\n"
            "requirements:\n"
            "  - title: Evidence of learning in action\n"
            "    description: A circle lesson plan and a short video of it in use.\n"
            "---\n"
            "The criteria narrative: what to do, what to submit, **how it is scored**.\n"
        )
        (folder / f"{slug}.png").write_bytes(badge_png(index))
    for index in range(assertions):
        path = root / assertion_path(index)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(assertion_yaml(index))


def commit_all(root: Path) -> None:
    """Make the site a git repository with one commit, as a real site is."""
    env = {
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "bench@example.org",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "bench@example.org",
        "GIT_AUTHOR_DATE": "2026-11-20T12:00:00Z",
        "GIT_COMMITTER_DATE": "2026-11-20T12:00:00Z",
        "PATH": "/usr/bin:/bin",
    }
    # No automatic gc: after a commit of 10,000 files it packs them in a detached process,
    # removing loose objects while the benchmark copies the site (copytree then fails).
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "benchmark site"]):
        subprocess.run(["git", "-c", "gc.auto=0", "-C", str(root), *args], check=True, env=env)


def commit_one_badge_at_a_time(site: Path, target: Path) -> None:
    """A copy of `site` whose history issues one badge per commit: one commit of everything
    else, then one per assertion file, an hour apart, the last at commit_all's time. What
    years of issuing by committing assertion files leave behind (git fast-import: seconds,
    not the minutes of one `git commit` per file)."""
    files = sorted(
        p for p in site.rglob("*") if p.is_file() and ".git" not in p.relative_to(site).parts
    )
    badges = [p for p in files if p.relative_to(site).parts[0] == "assertions"]
    others = [p for p in files if p.relative_to(site).parts[0] != "assertions"]
    end = 1795176000  # 2026-11-20T12:00:00Z, as commit_all
    stream = io.BytesIO()
    commits = [others, *([badge] for badge in badges)]
    for number, paths in enumerate(commits):
        when = end - 3600 * (len(commits) - 1 - number)
        message = f"issue {paths[0].stem}" if number else "site"
        stream.write(
            f"commit refs/heads/main\ncommitter bench <bench@example.org> {when} +0000\n"
            f"data {len(message)}\n{message}\n".encode()
        )
        for path in paths:
            data = path.read_bytes()
            rel = path.relative_to(site).as_posix()
            stream.write(f"M 100644 inline {rel}\ndata {len(data)}\n".encode() + data + b"\n")
    target.mkdir(parents=True)
    git = ["git", "-C", str(target)]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    subprocess.run([*git, "fast-import", "--quiet"], input=stream.getvalue(), check=True)
    subprocess.run([*git, "checkout", "-q", "-f", "main"], check=True)


HUGO_CONFIG = """\
baseURL = "https://badges.example.org/"
title = "Benchmark Micro-credentials"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[outputs]
  page = ["HTML", "JSON"]
  home = ["HTML"]
  section = ["HTML"]
# The hosted assertion at assertions/<id>.json, where badgepress writes it.
[outputFormats.json]
  ugly = true
[markup.goldmark.renderer]
  unsafe = false
"""

# One layout per output: the earner page, the hosted assertion JSON, and the badge image copied to
# a per-assertion path (Hugo cannot bake). The earner page mirrors, part by part, what badgepress
# renders today for the synthetic site's badges (same elements, attributes and text; within ±10%
# of its bytes): baseof.html mirrors themes/default/templates/base.html, single.html
# assertion.html, partials/share.html assertion.html's earner_share block, and
# partials/verify-strings.html _verify.html's verify_strings(). Hugo writes root-relative URLs
# (relURL) where badgepress writes relative ones; strings are literal (one language).

# themes/default/templates/base.html: the head's title, description and link-preview meta (from
# partials/page-meta.html, as base.html computes each block once), icons, stylesheets, the header
# with its <details> menu and Escape script, and the footer.
HUGO_BASEOF = """\
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
{{- $meta := partial "page-meta.html" . }}
<title>{{ $meta.title }}</title>
<meta name="description" content="{{ $meta.description }}">
<meta property="og:type" content="website">
<meta property="og:site_name" content="{{ site.Title }}">
<meta property="og:title" content="{{ $meta.title }}">
<meta property="og:description" content="{{ $meta.description }}">
<meta property="og:url" content="{{ .Permalink }}">
<meta property="og:image" content="{{ $meta.image }}">
<meta property="og:image:width" content="1200">
<meta property="og:image:height" content="630">
<meta property="og:image:alt" content="{{ $meta.title }}">
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:title" content="{{ $meta.title }}">
<meta name="twitter:description" content="{{ $meta.description }}">
<meta name="twitter:image" content="{{ $meta.image }}">
{{ block "meta" . }}{{ end }}
<link rel="canonical" href="{{ .Permalink }}">
<link rel="alternate" type="application/atom+xml" href="{{ "feed.xml" | relURL }}" title="New and updated credentials">
<link rel="icon" href="{{ "favicon.ico" | relURL }}" sizes="32x32">
<link rel="icon" href="{{ "assets/favicon.svg" | relURL }}" type="image/svg+xml">
<link rel="apple-touch-icon" href="{{ "apple-touch-icon.png" | relURL }}">
<link rel="stylesheet" href="{{ "assets/style.css" | relURL }}">
<link rel="stylesheet" href="{{ "assets/print.css" | relURL }}" media="print">
<noscript><style>.needs-js { display: none !important; } .without-js { display: block !important; }</style></noscript>
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
  <div class="wrap">
<a class="site-title" href="{{ "/" | relURL }}">Benchmark <span class="nowrap">Micro-credentials</span></a>    <details class="site-menu">
      <summary><svg class="icon" aria-hidden="true" viewBox="0 0 24 24" width="20" height="20"><path d="M3 6h18M3 12h18M3 18h18" stroke="currentColor" stroke-width="2.2" stroke-linecap="round"/></svg><span>Menu</span></summary>
      <nav aria-label="Site">
        <ul>
          <li><a href="{{ "/" | relURL }}">Catalog</a></li>
          <li><a href="{{ "verify/" | relURL }}">Verify a badge</a></li>
        </ul>
      </nav>
    </details>
  </div>
</header>
<script>document.addEventListener("keydown",function(e){var m=e.key==="Escape"&&document.querySelector(".site-menu[open]");if(m){m.open=false;m.querySelector("summary").focus();}});</script>
<main id="main" class="wrap" tabindex="-1">
{{ block "main" . }}{{ end }}
</main>
<footer class="site-footer">
  <div class="wrap">
    <p>Badges issued by <a href="https://www.example.org/">Example Education Association</a>      · <a href="{{ "issuer.json" | relURL }}">Issuer profile (Open Badges)</a>
      · <a href="{{ "feed.xml" | relURL }}">Feed of new credentials</a></p>
    <p class="small">Open Badges 2.0 · published with badgepress</p>
  </div>
</footer>
{{ block "scripts" . }}{{ end }}
</body>
</html>
"""

# base.html's title and description blocks as assertion.html fills them for an earner page, and
# base.html's share_image (the credential's social card); other pages get the site's.
HUGO_PAGE_META_HTML = """\
{{- $meta := dict "title" site.Title "description" site.Title "image" ("card.png" | absURL) }}
{{- with .Params.credential }}
{{- $cred := index site.Data.credentials . }}
{{- $issuer := "Example Education Association" }}
{{- with $.Params.earner }}
{{- $meta = dict "title" (printf "%s · %s · %s" $cred.name . site.Title) "description" (printf "%s earned %s, issued by %s." . $cred.name $issuer) }}
{{- else }}
{{- $meta = dict "title" (printf "%s · %s" $cred.name site.Title) "description" (printf "An Open Badge for %s, issued by %s." $cred.name $issuer) }}
{{- end }}
{{- $meta = merge $meta (dict "image" (printf "credentials/%s/card.png" .  | absURL)) }}
{{- end }}
{{- return $meta }}
"""

# themes/default/templates/assertion.html: the meta block (noindex, the JSON alternate), then the
# earner_hero (badge, status seal, earner, issuer with its monogram, dates), the banners, the
# earner_actions row (LinkedIn, copy link, download menu, verify), earner_details (about,
# evidence), earner_share (partials/share.html; valid badges only), the verify section with its
# verify-in-place form and strings, and the scripts block (share.js for valid badges, status.js).
HUGO_SINGLE_HTML = """\
{{ define "meta" -}}
<meta name="robots" content="noindex">
<link rel="alternate" type="application/ld+json" href="{{ (.OutputFormats.Get "json").RelPermalink }}" title="Open Badges Assertion">
{{- end }}
{{ define "main" -}}
{{ $cred := index site.Data.credentials .Params.credential -}}
{{ $img := resources.Get (printf "badges/%s.png" .Params.credential) -}}
{{ $baked := $img | resources.Copy (printf "assertions/%s.png" .File.ContentBaseName) -}}
{{ $json := .OutputFormats.Get "json" -}}
{{ $status := cond (.Params.revoked | default false) "revoked" "valid" -}}
<article class="earned" data-status="{{ $status }}" data-assertion="{{ $json.Permalink }}" data-revocations="{{ "revocations.json" | relURL }}" data-revoked-text="Revoked" >
  <div class="hero earner-hero">
    <div class="earner-badge"><img class="badge" src="{{ $baked.RelPermalink }}" alt="Badge: {{ $cred.name }}" width="240" height="240"></div>
    <div class="earner-headline">
      <p class="status seal status-{{ $status }}" id="status" role="status"><span class="seal-label">{{ if eq $status "revoked" }}Revoked{{ else }}Valid{{ end }}</span> <span class="seal-note"><span class="seal-built">Status when this page was published</span> <span class="seal-live">Checked in your browser just now</span></span></p>
      <h1>{{ $cred.name }}</h1>
      {{ with .Params.earner }}<p class="earner-name">{{ if eq $status "valid" }}Earned by <strong>{{ . }}</strong>{{ else }}Was awarded to {{ . }}{{ end }}</p>
      {{ end -}}
      <p class="earner-issuer">
<span class="issuer-logo issuer-monogram" aria-hidden="true">E</span>        <span>Issued by <a href="https://www.example.org/">Example Education Association</a></span>
      </p>
      <p class="earner-dates"><span>Issued <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "January 2, 2006" }}</time></span>
</p>
    </div>
  </div>
  {{ if eq $status "revoked" -}}
  <p class="notice notice-revoked" data-banner><strong>This badge was revoked.</strong> Reason: {{ .Params.revocation_reason }}</p>
  {{ else -}}
  <p class="notice notice-revoked" data-banner="revoked" hidden><strong>This badge was revoked.</strong> <span data-reason></span></p>
  {{ end -}}
  <div class="earner-actions">
{{ if eq $status "valid" }}<a class="button" data-share href="{{ partial "linkedin-url.html" (dict "page" . "cred" $cred) }}" rel="noopener" target="_blank">Add to LinkedIn profile</a>
    <button type="button" class="button button-quiet needs-js" data-share data-copy="copy-url" data-copied="Copied">Copy link</button>{{ end }}    <details class="download-menu">
      <summary class="button button-quiet">Download</summary>
      <ul>
        <li><a href="{{ $baked.RelPermalink }}" download>Download the badge image</a></li>
        <li><a href="{{ $json.RelPermalink }}" download>Download the assertion (JSON)</a></li>
      </ul>
    </details>
    <a class="button button-quiet" href="#verify">Verify</a>
  </div>
  <section aria-labelledby="about" class="earner-about">
    <h2 id="about">About this credential</h2>
    <p class="summary">{{ $cred.summary }}</p>
    <p><a href="{{ printf "credentials/%s/" .Params.credential | relURL }}">View full criteria</a></p>
  </section>
  {{ with .Params.evidence -}}
  <section aria-labelledby="evidence">
    <h2 id="evidence">Evidence</h2>
    <ul class="evidence">
      {{ range . -}}
      <li>
<a href="{{ .url }}" rel="nofollow noopener ugc">{{ .name }}</a><div class="earner-text">{{ $.RenderString (dict "display" "block") .narrative }}</div>      </li>
      {{ end -}}
    </ul>
  </section>
  {{ end -}}
  {{ if eq $status "valid" }}{{ partial "share.html" (dict "page" . "cred" $cred "baked" $baked) }}{{ end }}
  <section aria-labelledby="verify">
    <h2 id="verify">Verify</h2>
    <p>This is an Open Badge: anyone can check it with the hosted <a href="{{ $json.RelPermalink }}">assertion</a> or the <a href="{{ "verify/" | relURL }}?url={{ $json.Permalink }}">verification page</a>. The badge image carries its own link to this record.</p>
<form class="verify-in-place" data-verify-in-place data-url="{{ $json.Permalink }}" data-result="verify-result" data-script="{{ "assets/verify.js" | relURL }}" method="dialog" novalidate>
  <label for="verify-email">Earner's email address <span class="small">(optional)</span></label>
  <input type="email" id="verify-email" name="email" autocomplete="off" spellcheck="false">
  <button type="submit" class="button">Verify this badge</button>
</form>
<noscript><p class="small">This page needs JavaScript to check a badge. Without it, run <code>badgepress verify URL --email ADDRESS</code> or read the record at the badge's link.</p></noscript>
<div class="verify-result" id="verify-result" role="status" aria-live="polite" aria-atomic="true"></div>
{{ partial "verify-strings.html" . }}
  </section>
</article>
{{- end }}
{{ define "scripts" }}{{ if not .Params.revoked }}<script src="{{ "assets/share.js" | relURL }}" defer></script>{{ end }}<script src="{{ "assets/status.js" | relURL }}" defer></script>{{ end }}
"""

# badgepress/render/sharing.py's linkedin_url: LinkedIn's add-to-profile link, the same fields in
# LinkedIn's order (`urlquery` writes a space as "+" where badgepress writes "%20").
HUGO_LINKEDIN_URL_HTML = """\
{{- $page := .page }}
{{- return printf "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name=%s&organizationName=%s&issueYear=%s&issueMonth=%s&certUrl=%s&certId=%s"
    (urlquery .cred.name) (urlquery "Example Education Association") ($page.Date.Format "2006") ($page.Date.Format "1") (urlquery $page.Permalink) (urlquery $page.File.ContentBaseName) }}
"""

# assertion.html's earner_share block (badgepress/render/sharing.py makes its parts): the fields
# as copyable inputs, the embed snippet escaped in a textarea, and a QR code of the page's URL,
# behind "More ways to share". badgepress inlines the QR code as SVG; Hugo's images.QR encodes a
# PNG, which the page inlines as a data: URL (badgepress writes no QR file either).
HUGO_SHARE_HTML = """\
{{- $page := .page }}{{ $cred := .cred }}
{{- $url := $page.Permalink }}{{ $id := $page.File.ContentBaseName }}
{{- $issuer := "Example Education Association" }}
{{- $embed := printf `<a href="%s" style="display:inline-flex;align-items:center;gap:12px;text-decoration:none;color:#0f172a;font:14px/1.3 system-ui,sans-serif"><img src="%s" alt="Badge: %s" width="96" height="96"><span><strong>%s</strong><br><small>Verified by %s</small></span></a>`
    (htmlEscape $url) (htmlEscape .baked.Permalink) (htmlEscape $cred.name) (htmlEscape $cred.name) (htmlEscape $issuer) }}
{{- $qr := images.QR $url (dict "level" "medium" "scale" 4) }}
  <section aria-labelledby="share" class="share" data-share>
    <h2 id="share">Share this badge</h2>
    <details class="share-more">
      <summary>More ways to share</summary>
      <div class="share-grid">
        <div class="share-linkedin">
          <h3>LinkedIn</h3>
          <p class="small">LinkedIn does not always fill in every field; copy any that are empty from here.</p>
          <dl class="copy-fields">
            <div><dt>Name</dt><dd><input class="copy-value" id="copy-name" value="{{ $cred.name }}" readonly aria-label="Name"> <button type="button" class="button copy" data-copy="copy-name" data-copied="Copied" aria-label="Copy: Name" hidden>Copy</button></dd></div>
            <div><dt>Issuing organization</dt><dd><input class="copy-value" id="copy-organization" value="{{ $issuer }}" readonly aria-label="Issuing organization"> <button type="button" class="button copy" data-copy="copy-organization" data-copied="Copied" aria-label="Copy: Issuing organization" hidden>Copy</button></dd></div>
            <div><dt>Issue date</dt><dd>{{ $page.Date.Format "January 2, 2006" }}</dd></div>
            <div><dt>Credential ID</dt><dd><input class="copy-value" id="copy-id" value="{{ $id }}" readonly aria-label="Credential ID"> <button type="button" class="button copy" data-copy="copy-id" data-copied="Copied" aria-label="Copy: Credential ID" hidden>Copy</button></dd></div>
            <div><dt>Credential URL</dt><dd><input class="copy-value" id="copy-url" value="{{ $url }}" readonly aria-label="Credential URL"> <button type="button" class="button copy" data-copy="copy-url" data-copied="Copied" aria-label="Copy: Credential URL" hidden>Copy</button></dd></div>
          </dl>
        </div>
        <div class="share-embed">
          <h3>Embed</h3>
          <label for="embed-code">HTML for a portfolio, a web page or an email signature</label>
          <textarea id="embed-code" class="embed-code" readonly rows="6">{{ $embed }}</textarea>
          <button type="button" class="button copy" data-copy="embed-code" data-copied="Copied" aria-label="Copy: HTML" hidden>Copy</button>
        </div>
        <div class="share-qr">
          <h3>QR code</h3>
          <img class="qr-code" src="data:image/png;base64,{{ $qr.Content | base64Encode }}" width="{{ $qr.Width }}" height="{{ $qr.Height }}" alt="QR code of this badge's address">
          <p class="small">Scan it to open this page, from a printed certificate or a slide.</p>
        </div>
      </div>
    </details>
    <p class="visually-hidden" id="copy-status" aria-live="polite"></p>
  </section>"""

# themes/default/templates/_verify.html's verify_strings(): what verify.js writes on the page, as
# JSON, built on every earner page as badgepress builds it.
HUGO_VERIFY_STRINGS_HTML = """\
{{- $strings := dict
  "verdicts" (dict
    "not_a_badge" "Not a badge"
    "invalid" "Not valid"
    "revoked" "Revoked"
    "expired" "Expired"
    "wrong_recipient" "Not issued to this email"
    "unreachable" "Could not reach the issuer"
    "unsupported" "Could not check here"
    "valid" "Valid")
  "checking" "Checking…"
  "reason" "Reason: {reason}"
  "issued" "Issued {date}"
  "expires" "Expires {date}"
  "expired" "Expired {date}"
  "issued_by" "{name}, issued by {issuer}"
  "badge_alt" "Badge: {name}"
  "the_badge" "The badge"
  "not_checked_recipient" "Not checked who it was issued to: type the earner's email address to check that too."
  "checked" "What was checked ({count})"
  "passed" "passed"
  "failed" "failed"
  "skipped" "skipped"
  "selected" "Selected: {file}"
  "choose_first" "Choose a badge image or paste a badge URL first." }}
<script type="application/json" id="verify-strings">{{ $strings | jsonify | safeJS }}</script>"""

HUGO_SINGLE_JSON = """\
{{- $id := printf "%sassertions/%s.json" site.BaseURL .File.ContentBaseName -}}
{{- $doc := dict "@context" "https://w3id.org/openbadges/v2" "type" "Assertion" "id" $id
    "badge" (printf "%scredentials/%s.json" site.BaseURL .Params.credential)
    "issuedOn" (.Date.Format "2006-01-02T15:04:05Z")
    "recipient" (dict "type" "email" "hashed" true "identity" .Params.identity "salt" .Params.salt)
    "verification" (dict "type" "hosted")
    "image" (printf "%sassertions/%s.png" site.BaseURL .File.ContentBaseName)
    "evidence" .Params.evidence -}}
{{- if .Params.revoked }}{{ $doc = merge $doc (dict "revoked" true "revocationReason" .Params.revocation_reason) }}{{ end -}}
{{- jsonify (dict "indent" "  ") $doc }}
"""

HUGO_LIST_HTML = """\
{{ define "main" }}<h1>{{ .Title }}</h1><p>{{ len .Pages }} badges issued.</p>{{ end }}
"""


def write_hugo_site(root: Path, assertions: int) -> None:
    """The same assertions as Markdown pages with front matter, plus layouts and the badges."""
    import json

    (root / "hugo.toml").parent.mkdir(parents=True, exist_ok=True)
    (root / "hugo.toml").write_text(HUGO_CONFIG)
    layouts = root / "layouts" / "_default"
    layouts.mkdir(parents=True, exist_ok=True)
    (layouts / "baseof.html").write_text(HUGO_BASEOF)
    (layouts / "single.html").write_text(HUGO_SINGLE_HTML)
    (layouts / "single.json").write_text(HUGO_SINGLE_JSON)
    (layouts / "list.html").write_text(HUGO_LIST_HTML)
    partials = root / "layouts" / "partials"
    partials.mkdir(exist_ok=True)
    (partials / "page-meta.html").write_text(HUGO_PAGE_META_HTML)
    (partials / "linkedin-url.html").write_text(HUGO_LINKEDIN_URL_HTML)
    (partials / "share.html").write_text(HUGO_SHARE_HTML)
    (partials / "verify-strings.html").write_text(HUGO_VERIFY_STRINGS_HTML)
    badges = root / "assets" / "badges"
    badges.mkdir(parents=True, exist_ok=True)
    data = {}
    for index in range(CREDENTIALS):
        slug = credential_slug(index)
        (badges / f"{slug}.png").write_bytes(badge_png(index))
        data[slug] = {
            "name": f"Credential {index}: Building Relationships",
            "summary": "Use restorative circles to build community and repair harm.",
        }
    (root / "data").mkdir(exist_ok=True)
    (root / "data" / "credentials.json").write_text(json.dumps(data))
    content = root / "content" / "assertions"
    content.mkdir(parents=True, exist_ok=True)
    (content / "_index.md").write_text("---\ntitle: Assertions\n---\n")
    for index in range(assertions):
        (content / f"{assertion_id(index)}.md").write_text(_hugo_page(index))


def _hugo_page(index: int) -> str:
    import yaml

    data = yaml.safe_load(assertion_yaml(index))
    front = {
        "title": assertion_id(index),
        "date": f"{data['issued_on'].isoformat()}T00:00:00Z",
        "credential": data["credential"],
        "identity": data["recipient"]["identity"],
        "salt": data["recipient"]["salt"],
        "evidence": data["evidence"],
    }
    if data["recipient"].get("public_name"):
        front["earner"] = data["recipient"]["name"]
    if data.get("revoked"):
        front["revoked"] = True
        front["revocation_reason"] = data["revocation_reason"]
    return "---\n" + yaml.safe_dump(front, sort_keys=True) + "---\n"


# Hostile sizes: a content file just under the 1 MiB badgepress reads (sources.MAX_SOURCE_BYTES),
# in the shapes that once made Markdown take minutes (each line is one block or inline node).
LARGE_FILE_BYTES = 1_000_000
LARGE_SHAPES = {
    "short lines": lambda i: f"line {i}\n",  # 600 KB of these took minutes to `check`
    "list items": lambda i: f"- item {i}\n",
    "table rows": lambda i: "| a | b |\n|---|---|\n" if i == 0 else f"| {i} | x |\n",
    "nested quotes": lambda i: "> " * 30 + f"quote {i}\n",
    "inline markup": lambda i: f"*a{i} _b `c [d](http://x.example/{i} <e ",
}


def large_svg_badge(size: int) -> bytes:
    """A square SVG badge of about `size` bytes that passes the build's checks (well-formed, no
    script) and whose comment holds unclosed `<openbadges:assertion>` tags: the shape that made
    baking by regex take time quadratic in their number."""
    head = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 120"><!-- '
    tail = b' --><circle cx="60" cy="60" r="50" fill="teal"/></svg>'
    tag = b"<openbadges:assertion>"
    return head + tag * ((size - len(head) - len(tail)) // len(tag) + 1) + tail


def write_large_svg_badge(root: Path):
    """The first credential's badge replaced by `large_svg_badge(LARGE_FILE_BYTES)`; returns a
    function that puts the PNG back."""
    folder = root / "content" / "credentials" / "stack-0"
    png = folder / f"{credential_slug(0)}.png"
    original = png.read_bytes()
    png.unlink()
    svg = png.with_suffix(".svg")
    svg.write_bytes(large_svg_badge(LARGE_FILE_BYTES))

    def restore() -> None:
        svg.unlink()
        png.write_bytes(original)

    return restore


def large_text(shape: str, size: int, indent: str = "") -> str:
    """About `size` bytes of Markdown in `shape`, each line indented by `indent` (YAML)."""
    make = LARGE_SHAPES[shape]
    parts, total, index = [], 0, 0
    while total < size:
        text = "".join(indent + line for line in make(index).splitlines(keepends=True))
        parts.append(text)
        total += len(text)
        index += 1
    return "".join(parts)


def write_large_credential(root: Path, shape: str) -> None:
    """The first credential with a body of about LARGE_FILE_BYTES."""
    path = root / "content" / "credentials" / "stack-0" / f"{credential_slug(0)}.md"
    head, _body = path.read_text().rsplit("---\n", 1)
    path.write_text(head + "---\n" + large_text(shape, LARGE_FILE_BYTES - len(head) - 200))


def write_large_assertion(root: Path, shape: str) -> None:
    """The first assertion with a narrative of about LARGE_FILE_BYTES."""
    path = root / assertion_path(0)
    head = assertion_yaml(0) + "narrative: |\n"
    path.write_text(head + large_text(shape, LARGE_FILE_BYTES - len(head) - 200, "  "))
