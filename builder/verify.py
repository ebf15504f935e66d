"""`coursepack verify`: check any SCORM zip, made by any tool, before an LMS sees it.

The checks are the ones that make an upload fail or a course break in an LMS: the manifest at the
root of the zip and well-formed, a SCORM version the LMS can recognise, identifiers that are unique
and valid XML ids, a default organization, launch pages and every referenced file present, file
names an LMS can serve, no hidden system files, a sensible size. With ``schemas`` the manifest is
also validated against the administrator's own copy of the SCORM XSD files.

Diagnostics name the zip as ``path`` and the file inside it as ``field``.
"""
from __future__ import annotations

import lzma
import posixpath
import re
import urllib.parse
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from .diagnostics import Report

CP12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
CP2004 = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
ADLCP2004 = "http://www.adlnet.org/xsd/adlcp_v1p3"
XML_NS = "http://www.w3.org/XML/1998/namespace"
SCHEMA_VERSIONS = {"1.2": "1.2", "cam 1.3": "2004-2nd", "2004 3rd edition": "2004-3rd",
                   "2004 4th edition": "2004-4th"}
# xs:ID is an NCName: a letter or '_' first, then letters, digits, '.', '-', '_' (no ':' and no spaces)
NCNAME_RE = re.compile(r"^[^\W\d][\w.\-]*$", re.UNICODE)
# characters Moodle removes from file paths (clean_param PARAM_PATH), so such a file can never be served
LMS_BAD_CHARS = set('&<>"`|\':\\')
JUNK_RE = re.compile(r"(^|/)(__MACOSX/|\.DS_Store$|Thumbs\.db$|desktop\.ini$)", re.I)
MAX_BYTES_WARN = 100 * 1024 * 1024  # many LMS sites limit uploads well below this
MAX_UNPACKED_WARN = 1024 * 1024 * 1024  # a few KB of zip can unpack to gigabytes (a zip bomb)
MAX_FILES = 20000
MAX_MANIFEST = 16 * 1024 * 1024
# the root XSD of each namespace, per SCORM edition folder
XSD_FILES = {
    "1.2": {CP12: "imscp_rootv1p1p2.xsd", ADLCP12: "adlcp_rootv1p2.xsd",
            "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1": "imsmd_rootv1p2p1.xsd"},
    "2004": {CP2004: "imscp_v1p1.xsd", ADLCP2004: "adlcp_v1p3.xsd",
             "http://www.adlnet.org/xsd/adlseq_v1p3": "adlseq_v1p3.xsd",
             "http://www.adlnet.org/xsd/adlnav_v1p3": "adlnav_v1p3.xsd",
             "http://www.imsglobal.org/xsd/imsss": "imsss_v1p0.xsd",
             "http://ltsc.ieee.org/xsd/LOM": "lom.xsd"},
}
EDITION_DIRS = {"1.2": "scorm12", "2004-2nd": "scorm2004_3rd", "2004-3rd": "scorm2004_3rd",
                "2004-4th": "scorm2004_4th"}


class _Checker:
    def __init__(self, zpath: Path, report: Report):
        self.shown = str(zpath)
        self.report = report
        self.errors = 0
        self.warnings = 0

    def error(self, code: str, message: str, member: str | None = None, line: int | None = None,
              hint: str | None = None) -> None:
        self.errors += 1
        self.report.error(code, message, path=self.shown, line=line, field=member, hint=hint)

    def warning(self, code: str, message: str, member: str | None = None, line: int | None = None,
                hint: str | None = None) -> None:
        self.warnings += 1
        self.report.warning(code, message, path=self.shown, line=line, field=member, hint=hint)


def verify_zip(zpath: Path, report: Report, schemas: Path | None = None) -> dict:
    """Check one package; add diagnostics to ``report``; return a summary for the CLI."""
    c = _Checker(zpath, report)
    info = {"path": str(zpath), "ok": False, "scorm": None, "scos": 0, "files": 0, "bytes": 0}
    try:
        _verify(zpath, c, info, schemas)
    except zipfile.BadZipFile as exc:
        c.error("not-a-zip", f"this is not a zip file that can be opened ({exc})",
                hint="export the course again as a SCORM package (.zip)")
    except (zlib.error, lzma.LZMAError, EOFError, NotImplementedError, RuntimeError, ValueError) as exc:
        # a damaged file inside the zip, or a compression method (or encryption) unzip tools do not know
        c.error("not-a-zip", f"a file inside the zip cannot be unpacked ({exc}); an LMS would fail the same way",
                hint="make the zip again with ordinary (deflate) compression and no password")
    except OSError as exc:
        c.error("unreadable", f"cannot read the file: {exc.strerror or exc}")
    info.update(ok=c.errors == 0, errors=c.errors, warnings=c.warnings)
    return info


def _verify(zpath: Path, c: _Checker, info: dict, schemas: Path | None) -> None:
    if not zpath.is_file():
        c.error("not-a-zip", "there is no such file" if not zpath.exists() else "this is not a file")
        return
    with zipfile.ZipFile(zpath) as zf:
        infos = zf.infolist()
        names = [i.filename for i in infos if not i.is_dir()]
        info["files"] = len(names)
        info["bytes"] = sum(i.file_size for i in infos)
        if len(infos) > MAX_FILES:
            c.error("zip-too-many", f"the zip holds {len(infos):,} entries; LMSs time out unpacking so many")
        _check_names(c, infos)
        unpacked = sum(i.file_size for i in infos)
        if unpacked > MAX_UNPACKED_WARN:
            c.warning("zip-size", f"the files in the zip unpack to {unpacked / 1048576:,.0f} MB; LMS sites run out "
                      "of space or time unpacking this much", hint="make videos and images smaller, or host large "
                      "media elsewhere")
        if zpath.stat().st_size > MAX_BYTES_WARN:
            c.warning("zip-size", f"the zip is {zpath.stat().st_size / 1048576:.0f} MB; many LMS sites refuse "
                      "uploads this large", hint="ask the LMS administrator for the site's upload limit, or make "
                      "videos smaller / host them elsewhere")
        if "imsmanifest.xml" not in names:
            nested = sorted(n for n in names if n.lower().endswith("/imsmanifest.xml") and not JUNK_RE.search(n))
            if nested:
                folder = nested[0].rsplit("/", 1)[0]
                c.error("manifest-not-at-root", f"imsmanifest.xml is inside the folder '{folder}/', not at the top "
                        "of the zip, so an LMS will say this is not a SCORM package", member=nested[0],
                        hint=f"zip the contents of '{folder}' (select the files inside it), not the folder itself")
            elif any(n.lower() == "imsmanifest.xml" for n in names):
                other = next(n for n in names if n.lower() == "imsmanifest.xml")
                c.error("no-manifest", f"the manifest is named '{other}'; it must be exactly imsmanifest.xml "
                        "(lower case)", member=other, hint="rename it to imsmanifest.xml")
            else:
                c.error("no-manifest", "there is no imsmanifest.xml: this is not a SCORM package",
                        hint="export the course from its authoring tool as SCORM 1.2 or SCORM 2004")
            return
        if zf.getinfo("imsmanifest.xml").file_size > MAX_MANIFEST:
            c.error("manifest-xml", f"imsmanifest.xml is {zf.getinfo('imsmanifest.xml').file_size:,} bytes; LMSs "
                    "give up reading manifests this large", member="imsmanifest.xml")
            return
        raw = zf.read("imsmanifest.xml")
        if re.search(rb"<!ENTITY", raw) or re.search(b"<\x00!\x00E\x00N\x00T\x00I\x00T\x00Y", raw):
            c.error("manifest-xml", "imsmanifest.xml declares XML entities (<!ENTITY …>); LMSs refuse them or "
                    "read files from their own server through them", member="imsmanifest.xml",
                    line=raw[:raw.find(b"<!ENTITY")].count(b"\n") + 1 if b"<!ENTITY" in raw else None,
                    hint="remove the <!DOCTYPE …> part and write the text out in full")
            return
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
        try:
            root = etree.fromstring(raw, parser)
        except etree.XMLSyntaxError as exc:
            c.error("manifest-xml", f"imsmanifest.xml is not well-formed XML: {exc.msg}", member="imsmanifest.xml",
                    line=exc.lineno or None, hint="the tool that made the package wrote a broken manifest; "
                    "export it again, or fix the XML at this line")
            return
        version = _check_manifest(c, root, set(names), info)
        if schemas is not None and version:
            _check_xsd(c, root, raw, version, schemas)


def _check_names(c: _Checker, infos: list[zipfile.ZipInfo]) -> None:
    seen: dict[str, str] = {}
    junk = []
    for i in infos:
        name = i.filename
        if i.flag_bits & 0x1:
            c.error("zip-encrypted", "the file is password-protected; an LMS cannot unpack it", member=name)
        if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or ".." in name.split("/"):
            c.error("zip-unsafe-path", "this file would be unpacked outside the package folder; LMSs refuse it",
                    member=name, hint="make the package again from a folder, with relative paths only")
            continue
        if (i.external_attr >> 16) & 0o170000 == 0o120000:
            c.error("zip-unsafe-path", "this entry is a symbolic link; unpacked on the LMS server it could point at "
                    "any file there, so LMSs refuse it", member=name,
                    hint="make the package again from a folder of ordinary files")
            continue
        if JUNK_RE.search(name):
            junk.append(name)
            continue
        if i.is_dir():
            continue
        bad = sorted(set(name) & LMS_BAD_CHARS)
        if bad:
            c.error("lms-file-name", f"the file name contains {' '.join(repr(b) for b in bad)}; Moodle and other LMSs "
                    "remove these characters from paths, so this file would never be found", member=name,
                    hint="rename it using letters, digits, '-', '_' and '.', and update the links to it")
        elif any(ord(ch) < 32 for ch in name):
            c.error("lms-file-name", "the file name contains control characters", member=name,
                    hint="rename it using letters, digits, '-', '_' and '.'")
        elif not name.isascii() or " " in name or "%" in name or "#" in name or "?" in name:
            c.warning("lms-file-name", "the file name has spaces, non-ASCII letters or URL characters (% # ?); "
                      "some LMSs and web servers serve such files wrongly", member=name,
                      hint="rename it using ASCII letters, digits, '-', '_' and '.'")
        key = name.casefold()
        if key in seen and seen[key] != name:
            c.warning("case-clash", f"'{name}' and '{seen[key]}' differ only in upper/lower case; on Windows "
                      "servers one replaces the other", member=name)
        elif key in seen:
            c.error("zip-duplicate", "the zip holds this file twice; which one an LMS unpacks is undefined",
                    member=name, hint="make the zip again")
        seen.setdefault(key, name)
    if junk:
        c.warning("junk-files", f"{len(junk)} hidden system file(s) ({', '.join(sorted(junk)[:3])}"
                  f"{'…' if len(junk) > 3 else ''}) are packed too; they are harmless but show up in some LMSs' "
                  "file lists", member=sorted(junk)[0],
                  hint="on a Mac, zip with `zip -r -X pkg.zip . -x '.*' -x '__MACOSX'`")


def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _children(el, name: str) -> list:
    return [x for x in el if isinstance(x.tag, str) and _local(x) == name]


def _attr(el, name: str) -> str | None:
    """An attribute whatever its namespace prefix (adlcp:scormtype, adlcp:scormType)."""
    for k, v in el.attrib.items():
        if etree.QName(k).localname.lower() == name.lower():
            return v
    return None


def _href_path(base: str, href: str) -> str:
    """A manifest href -> the zip member it names (query and fragment dropped, %-escapes decoded)."""
    href = href.split("#", 1)[0].split("?", 1)[0]
    return href if href.startswith("/") else posixpath.normpath(posixpath.join(base, urllib.parse.unquote(href)))


def _check_manifest(c: _Checker, root, names: set[str], info: dict) -> str | None:
    M = "imsmanifest.xml"
    ns = etree.QName(root).namespace
    if _local(root) != "manifest" or ns not in (CP12, CP2004):
        c.error("manifest-root", f"the manifest's top element is <{_local(root)}> in the namespace '{ns}', "
                "not an IMS content-package <manifest>", member=M, line=root.sourceline)
        return None
    # version
    version = None
    md = _children(root, "metadata")
    sv_el = next((x for m in md for x in _children(m, "schemaversion")), None)
    schema_el = next((x for m in md for x in _children(m, "schema")), None)
    if sv_el is None or not (sv_el.text or "").strip():
        version = "1.2" if ns == CP12 else None
        c.warning("scorm-version", "the manifest does not say which SCORM version it is (no <schemaversion>); "
                  + ("LMSs will treat it as SCORM 1.2" if ns == CP12 else "LMSs may guess wrongly"),
                  member=M, hint="add <metadata><schema>ADL SCORM</schema><schemaversion>…</schemaversion>")
    else:
        text = " ".join(sv_el.text.split())
        version = SCHEMA_VERSIONS.get(text.lower())
        if version is None:
            c.error("scorm-version", f"unknown SCORM version '{text}' in <schemaversion>", member=M,
                    line=sv_el.sourceline, hint="SCORM uses 1.2, CAM 1.3, 2004 3rd Edition or 2004 4th Edition")
        elif (version == "1.2") != (ns == CP12):
            c.error("scorm-version", f"<schemaversion> says {text}, but the manifest uses the "
                    f"{'SCORM 1.2' if ns == CP12 else 'SCORM 2004'} namespace", member=M, line=sv_el.sourceline,
                    hint="the package mixes two SCORM versions; export it again")
    if schema_el is not None and (schema_el.text or "").strip() != "ADL SCORM":
        c.warning("scorm-version", f"<schema> is '{(schema_el.text or '').strip()}'; SCORM packages say ADL SCORM",
                  member=M, line=schema_el.sourceline)
    info["scorm"] = version
    # identifiers
    ids: dict[str, int] = {}
    for el in root.iter():
        if not isinstance(el.tag, str) or _local(el) not in ("manifest", "organization", "item", "resource"):
            continue
        ident = el.get("identifier")
        if ident is None:
            c.error("manifest-id", f"<{_local(el)}> has no identifier", member=M, line=el.sourceline)
            continue
        if not NCNAME_RE.match(ident):
            c.error("manifest-id", f"the identifier '{ident}' is not a valid XML id (it must start with a letter "
                    "or '_' and contain no spaces or ':')", member=M, line=el.sourceline,
                    hint="LMSs that validate the manifest refuse the package")
        if ident in ids:
            c.error("manifest-id", f"the identifier '{ident}' is used twice (first on line {ids[ident]})",
                    member=M, line=el.sourceline, hint="every identifier in the manifest must be unique")
        else:
            ids[ident] = el.sourceline
    # resources
    resources: dict[str, object] = {}
    res_parent = _children(root, "resources")
    if not res_parent:
        c.error("manifest-structure", "the manifest has no <resources>", member=M, line=root.sourceline)
    base0 = root.get(f"{{{XML_NS}}}base") or ""
    for rp in res_parent:
        base1 = posixpath.join(base0, rp.get(f"{{{XML_NS}}}base") or "")
        for r in _children(rp, "resource"):
            rid = r.get("identifier")
            if rid:
                resources[rid] = r
            base = posixpath.join(base1, r.get(f"{{{XML_NS}}}base") or "")
            href = r.get("href")
            if href and not re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I):
                _need_file(c, names, _href_path(base, href), r.sourceline, f"the resource '{rid}' starts at")
            for f in _children(r, "file"):
                fh = f.get("href")
                if not fh:
                    c.error("manifest-structure", "a <file> has no href", member=M, line=f.sourceline)
                elif not re.match(r"^[a-z][a-z0-9+.-]*:", fh, re.I):
                    _need_file(c, names, _href_path(base, fh), f.sourceline, f"the resource '{rid}' lists")
    for el in root.iter():  # <adlcp:location> names a metadata file that must be in the package
        if isinstance(el.tag, str) and _local(el) == "location" and etree.QName(el).namespace in (ADLCP12, ADLCP2004):
            loc = (el.text or "").strip()
            if loc and not re.match(r"^[a-z][a-z0-9+.-]*:", loc, re.I):
                _need_file(c, names, _href_path(base0, loc), el.sourceline, "the manifest's metadata points to")
    for rp in res_parent:
        for r in _children(rp, "resource"):
            for d in _children(r, "dependency"):
                ref = d.get("identifierref")
                if ref not in resources:
                    c.error("manifest-reference", f"the resource '{r.get('identifier')}' depends on '{ref}', which "
                            "is not a resource in this manifest", member=M, line=d.sourceline)
    # organizations
    orgs_parent = _children(root, "organizations")
    orgs = [o for p in orgs_parent for o in _children(p, "organization")]
    if not orgs_parent:
        c.error("manifest-structure", "the manifest has no <organizations>", member=M, line=root.sourceline)
    elif not orgs:
        c.error("no-organization", "the manifest has no <organization>, so an LMS has nothing to show learners",
                member=M, line=orgs_parent[0].sourceline)
    else:
        default = orgs_parent[0].get("default")
        if default is None:
            c.warning("no-organization", "<organizations> names no default; LMSs use the first organization",
                      member=M, line=orgs_parent[0].sourceline)
        elif default not in {o.get("identifier") for o in orgs}:
            c.error("no-organization", f"the default organization '{default}' does not exist", member=M,
                    line=orgs_parent[0].sourceline,
                    hint="set `default` to the identifier of an <organization> in the manifest")
    scos = 0
    launchable = 0
    for o in orgs:
        for item in o.iter():
            if not isinstance(item.tag, str) or _local(item) != "item":
                continue
            ref = item.get("identifierref")
            if ref is None:
                continue
            r = resources.get(ref)
            if r is None:
                c.error("manifest-reference", f"the item '{item.get('identifier')}' launches '{ref}', which is not a "
                        "resource in this manifest", member=M, line=item.sourceline)
                continue
            launchable += 1
            if not r.get("href"):
                c.error("launch-file", f"the resource '{ref}' is launched by an item but has no href (no page "
                        "to open)", member=M, line=r.sourceline)
            if (_attr(r, "scormtype") or "").lower() == "sco":
                scos += 1
    if orgs and not launchable:
        c.error("launch-file", "no item of the organization launches anything; learners would see an empty course",
                member=M)
    info["scos"] = scos
    return version


def _need_file(c: _Checker, names: set[str], member: str, line: int, what: str) -> None:
    if member in names:
        return
    near = next((n for n in names if n.casefold() == member.casefold()), None)
    c.error("missing-file", f"{what} '{member}', which is not in the zip", member="imsmanifest.xml", line=line,
            hint=f"the zip has '{near}': names must match exactly, also in upper/lower case" if near
            else "add the file to the package, or remove it from the manifest")


def _schema_dir(schemas: Path, version: str) -> Path | None:
    root_file = XSD_FILES["1.2" if version == "1.2" else "2004"]
    first = next(iter(root_file.values()))
    for d in (schemas / EDITION_DIRS[version], schemas):
        if (d / first).is_file():
            return d
    return None


class _LocalResolver(etree.Resolver):
    """Resolve the XML namespace's schema (and nothing else) from the local folder; never the network."""

    def __init__(self, folder: Path):
        super().__init__()
        self.folder = folder

    def resolve(self, url, pubid, context):
        name = posixpath.basename(urllib.parse.urlparse(url or "").path)
        if url and url.startswith(("http://", "https://")):
            for candidate in (name, "xml.xsd", "ims_xml.xsd"):
                if (self.folder / candidate).is_file() and (candidate == name or name == "xml.xsd"):
                    return self.resolve_filename(str(self.folder / candidate), context)
        return None


def _check_xsd(c: _Checker, root, raw: bytes, version: str, schemas: Path) -> None:
    folder = _schema_dir(schemas, version)
    files = XSD_FILES["1.2" if version == "1.2" else "2004"]
    if folder is None:
        c.error("schema-files", f"--schemas: no {next(iter(files.values()))} in '{schemas}' or its "
                f"{EDITION_DIRS[version]}/ folder, so the manifest cannot be validated for SCORM {version}",
                hint="point --schemas at a folder with the SCORM XSD files")
        return
    used = {etree.QName(el).namespace for el in root.iter() if isinstance(el.tag, str)}
    used |= {etree.QName(a).namespace for el in root.iter() if isinstance(el.tag, str) for a in el.attrib}
    imports = [(ns, f) for ns, f in files.items() if ns in used and (folder / f).is_file()]
    wrapper = ('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">'
               + "".join(f'<xs:import namespace="{ns}" schemaLocation="{(folder / f).resolve().as_uri()}"/>'
                         for ns, f in imports) + "</xs:schema>")
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_LocalResolver(folder))
    try:
        schema = etree.XMLSchema(etree.fromstring(wrapper.encode(), parser))
    except (etree.XMLSchemaParseError, etree.XMLSyntaxError) as exc:
        c.error("schema-files", f"--schemas: the XSD files in '{folder}' cannot be loaded: {exc}",
                hint="use an unmodified copy of the SCORM XSDs")
        return
    doc = etree.fromstring(raw, etree.XMLParser(resolve_entities=False, no_network=True))
    if schema.validate(doc):
        return
    for e in list(schema.error_log)[:20]:
        c.error("manifest-schema", f"the manifest does not match the SCORM {version} schema: "
                f"{re.sub(r'{[^}]*}', '', e.message)}", member="imsmanifest.xml", line=e.line or None)
