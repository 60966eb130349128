"""Synthetic sites for the benchmark: a badgepress site and the equivalent Hugo site.

Both hold the same work: 50 credentials and N assertions, each assertion published as one HTML
page (with the "Share this badge" section and a QR code of its URL), one JSON document and one
badge image. Everything is derived from a fixed seed, so a size
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
[markup.goldmark.renderer]
  unsafe = false
"""

# One layout per output: the earner page (about the size of badgepress's, with the same "Share
# this badge" section), the hosted assertion JSON, and the badge image copied to a per-assertion
# path (Hugo cannot bake).
HUGO_BASEOF = """\
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ block "title" . }}{{ .Title }} · {{ site.Title }}{{ end }}</title>
<link rel="stylesheet" href="{{ "assets/style.css" | relURL }}">
<link rel="canonical" href="{{ .Permalink }}">
</head><body>
<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a><nav><a href="{{ "verify/" | relURL }}">Verify</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main>
<footer><p>Issued by Example Education Association · Open Badges 2.0</p></footer>
{{ block "scripts" . }}{{ end }}
</body></html>
"""

HUGO_SINGLE_HTML = """\
{{ define "main" }}
{{ $cred := index site.Data.credentials .Params.credential }}
{{ $img := resources.Get (printf "badges/%s.png" .Params.credential) }}
{{ $baked := $img | resources.Copy (printf "assertions/%s.png" .File.ContentBaseName) }}
<article class="earned" data-status="{{ if .Params.revoked }}revoked{{ else }}valid{{ end }}">
  <div class="hero">
    <img class="badge" src="{{ $baked.RelPermalink }}" alt="Badge: {{ $cred.name }}" width="200" height="200">
    <div>
      <p class="status" id="status" role="status">{{ if .Params.revoked }}Revoked{{ else }}Valid{{ end }}</p>
      <h1>{{ $cred.name }}</h1>
      <p class="lead">{{ with .Params.earner }}Earned by <strong>{{ . }}</strong>{{ else }}Earned by the badge holder{{ end }}, issued by <a href="https://www.example.org/">Example Education Association</a>.</p>
    </div>
  </div>
  {{ if .Params.revoked }}<p class="notice"><strong>This badge was revoked.</strong> Reason: {{ .Params.revocation_reason }}</p>{{ end }}
  <dl class="facts">
    <div><dt>Issued</dt><dd><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "January 2, 2006" }}</time></dd></div>
    <div><dt>Credential</dt><dd><a href="{{ printf "credentials/%s/" .Params.credential | relURL }}">{{ $cred.name }}</a></dd></div>
  </dl>
  <p class="summary">{{ $cred.summary }}</p>
  <section><h2>Evidence</h2><ul class="evidence">{{ range .Params.evidence }}<li><a href="{{ .url }}" rel="nofollow noopener ugc">{{ .name }}</a><div class="earner-text">{{ .narrative | markdownify }}</div></li>{{ end }}</ul></section>
  {{ if not .Params.revoked }}{{ partial "share.html" (dict "page" . "cred" $cred "baked" $baked) }}{{ end }}
  <section><h2>Verify</h2><p>This is an Open Badge: anyone can check it with the hosted <a href="{{ (.OutputFormats.Get "json").RelPermalink }}">assertion</a>.</p>
  <p><a class="button" href="{{ $baked.RelPermalink }}" download>Download the badge image</a></p></section>
</article>
{{ end }}
{{ define "scripts" }}{{ if not .Params.revoked }}<script src="{{ "assets/share.js" | relURL }}" defer></script>{{ end }}{{ end }}
"""

# badgepress's share section (themes/default/templates/assertion.html, badgepress/render/sharing.py):
# the LinkedIn add-to-profile link (same fields in LinkedIn's order; `urlquery` writes a space as
# "+" where badgepress writes "%20"), the fields as copyable text, the embed snippet escaped in a
# textarea, and a QR code of the page's URL. badgepress inlines the QR code as SVG; Hugo's
# images.QR returns a PNG resource, so Hugo encodes one QR code per assertion too and writes it
# as a file (the closest equivalent: one more file per assertion for Hugo).
HUGO_SHARE_HTML = """\
{{ $page := .page }}{{ $cred := .cred }}
{{ $url := $page.Permalink }}{{ $id := $page.File.ContentBaseName }}
{{ $issuer := "Example Education Association" }}
{{ $linkedin := printf "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name=%s&organizationName=%s&issueYear=%s&issueMonth=%s&certUrl=%s&certId=%s"
    (urlquery $cred.name) (urlquery $issuer) ($page.Date.Format "2006") ($page.Date.Format "1") (urlquery $url) (urlquery $id) }}
{{ $embed := printf `<a href="%s" style="display:inline-flex;align-items:center;gap:12px;text-decoration:none;color:#0f172a;font:14px/1.3 system-ui,sans-serif"><img src="%s" alt="Badge: %s" width="96" height="96"><span><strong>%s</strong><br><small>Verified by %s</small></span></a>`
    (htmlEscape $url) (htmlEscape .baked.Permalink) (htmlEscape $cred.name) (htmlEscape $cred.name) (htmlEscape $issuer) }}
{{ $qr := images.QR $url (dict "level" "medium" "scale" 4 "targetDir" "assertions/qr") }}
  <section aria-labelledby="share" class="share">
    <h2 id="share">Share this badge</h2>
    <div class="share-grid">
      <div class="share-linkedin">
        <h3>LinkedIn</h3>
        <p><a class="button" href="{{ $linkedin }}" rel="noopener" target="_blank">Add to LinkedIn profile</a></p>
        <p class="small">LinkedIn does not always fill in every field; copy any that are empty from here.</p>
        <dl class="copy-fields">
          <div><dt>Name</dt><dd><span id="copy-name">{{ $cred.name }}</span> <button type="button" class="button copy" data-copy="copy-name" data-copied="Copied" aria-label="Copy: Name" hidden>Copy</button></dd></div>
          <div><dt>Issuing organization</dt><dd><span id="copy-organization">{{ $issuer }}</span> <button type="button" class="button copy" data-copy="copy-organization" data-copied="Copied" aria-label="Copy: Issuing organization" hidden>Copy</button></dd></div>
          <div><dt>Issue date</dt><dd>{{ $page.Date.Format "January 2, 2006" }}</dd></div>
          <div><dt>Credential ID</dt><dd><code id="copy-id">{{ $id }}</code> <button type="button" class="button copy" data-copy="copy-id" data-copied="Copied" aria-label="Copy: Credential ID" hidden>Copy</button></dd></div>
          <div><dt>Credential URL</dt><dd><code id="copy-url">{{ $url }}</code> <button type="button" class="button copy" data-copy="copy-url" data-copied="Copied" aria-label="Copy: Credential URL" hidden>Copy</button></dd></div>
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
        <img class="qr-code" src="{{ $qr.RelPermalink }}" width="{{ $qr.Width }}" height="{{ $qr.Height }}" alt="QR code of this badge's address">
        <p class="small">Scan it to open this page, from a printed certificate or a slide.</p>
      </div>
    </div>
    <p class="visually-hidden" id="copy-status" aria-live="polite"></p>
  </section>
"""

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
    (root / "layouts" / "partials").mkdir(exist_ok=True)
    (root / "layouts" / "partials" / "share.html").write_text(HUGO_SHARE_HTML)
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
