"""imsmanifest.xml for SCORM 1.2, 2004 3rd and 2004 4th Edition, built with lxml.

The only module that knows SCORM packaging. It takes the SCO plan and the list of
package files and returns the manifest's bytes.
"""
from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from . import models as m
from .render import Sco

NS12 = {
    None: "http://www.imsproject.org/xsd/imscp_rootv1p1p2",
    "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
NS2004 = {
    None: "http://www.imsglobal.org/xsd/imscp_v1p1",
    "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3",
    "adlseq": "http://www.adlnet.org/xsd/adlseq_v1p3",
    "adlnav": "http://www.adlnet.org/xsd/adlnav_v1p3",
    "imsss": "http://www.imsglobal.org/xsd/imsss",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
SCHEMA_FILES = {
    "1.2": [(NS12[None], "imscp_rootv1p1p2.xsd"), (NS12["adlcp"], "adlcp_rootv1p2.xsd")],
    "2004": [(NS2004[None], "imscp_v1p1.xsd"), (NS2004["adlcp"], "adlcp_v1p3.xsd"),
             (NS2004["adlseq"], "adlseq_v1p3.xsd"), (NS2004["adlnav"], "adlnav_v1p3.xsd"),
             (NS2004["imsss"], "imsss_v1p0.xsd")],
}
COMMON_ID = "res_common"  # an underscore: no session or track id can make it (ids use letters, digits, '-')
TITLE_MAX_12 = 200  # the SCORM 1.2 schema's limit for <title>
SCHEMA_VERSION = {"1.2": "1.2", "2004-3rd": "2004 3rd Edition", "2004-4th": "2004 4th Edition"}
FILE_SUFFIX = {"1.2": "scorm12", "2004-3rd": "scorm2004-3rd", "2004-4th": "scorm2004-4th"}


def runtime(version: str) -> str:
    """The run-time API a version uses: "1.2" or "2004"."""
    return "1.2" if version == "1.2" else "2004"


@dataclass
class ManifestInput:
    track: m.Track
    version: str  # "1.2" | "2004-3rd" | "2004-4th"
    layout: str
    scos: list[Sco]
    common_files: list[str]  # files every SCO uses (each SCO's own file is its launch page)
    schema_files: bool  # write xsi:schemaLocation (the XSDs ship in the package)


def build_manifest(inp: ManifestInput) -> bytes:
    v12 = inp.version == "1.2"
    ns = NS12 if v12 else NS2004
    nsmap = {k: v for k, v in ns.items() if k != "xsi" or inp.schema_files}

    def q(prefix: str | None, tag: str) -> str:
        return f"{{{ns[prefix]}}}{tag}"

    def title(parent, text: str) -> None:
        if v12 and len(text) > TITLE_MAX_12:
            text = text[: TITLE_MAX_12 - 1].rstrip() + "…"
        etree.SubElement(parent, q(None, "title")).text = text

    track = inp.track
    manifest = etree.Element(q(None, "manifest"), nsmap=nsmap)
    manifest.set("identifier", f"coursepack-{track.id}-{FILE_SUFFIX[inp.version]}")
    manifest.set("version", track.version[:20] or "1")
    if inp.schema_files:
        pairs = SCHEMA_FILES[runtime(inp.version)]
        manifest.set(q("xsi", "schemaLocation"), " ".join(f"{a} {b}" for a, b in pairs))

    md = etree.SubElement(manifest, q(None, "metadata"))
    etree.SubElement(md, q(None, "schema")).text = "ADL SCORM"
    etree.SubElement(md, q(None, "schemaversion")).text = SCHEMA_VERSION[inp.version]

    orgs = etree.SubElement(manifest, q(None, "organizations"))
    org_id = f"org-{track.id}"
    orgs.set("default", org_id)
    org = etree.SubElement(orgs, q(None, "organization"), identifier=org_id)
    title(org, track.title)

    mastery = track.mastery_score

    def sco_item(parent, sco: Sco) -> None:
        item = etree.SubElement(parent, q(None, "item"), identifier=f"item-{sco.key}",
                                identifierref=f"res-{sco.key}")
        title(item, sco.title)
        if not sco.scored or mastery <= 0:
            return
        if v12:
            etree.SubElement(item, q("adlcp", "masteryscore")).text = str(mastery)
        else:
            seq = etree.SubElement(item, q("imsss", "sequencing"))
            objs = etree.SubElement(seq, q("imsss", "objectives"))
            prim = etree.SubElement(objs, q("imsss", "primaryObjective"), objectiveID=f"obj-{sco.key}",
                                    satisfiedByMeasure="true")
            etree.SubElement(prim, q("imsss", "minNormalizedMeasure")).text = _decimal(mastery / 100)

    by_key = {s.key: s for s in inp.scos}
    if inp.layout == "single-sco":
        sco_item(org, inp.scos[0])
    else:
        for mod in track.modules:
            parent = org
            if mod.key and mod.sessions:
                parent = etree.SubElement(org, q(None, "item"), identifier=f"mod-{mod.key}")
                title(parent, mod.title)
            for s in mod.sessions:
                sco_item(parent, by_key[s.key])
            if parent is not org and not v12:
                # a cluster's default control mode has flow off: let Continue/Previous work inside a day
                seq = etree.SubElement(parent, q("imsss", "sequencing"))
                etree.SubElement(seq, q("imsss", "controlMode"), choice="true", flow="true")
    if not v12 and inp.layout != "single-sco":
        seq = etree.SubElement(org, q("imsss", "sequencing"))
        etree.SubElement(seq, q("imsss", "controlMode"), choice="true", flow="true")

    resources = etree.SubElement(manifest, q(None, "resources"))
    scorm_type = q("adlcp", "scormtype" if v12 else "scormType")
    for sco in inp.scos:
        res = etree.SubElement(resources, q(None, "resource"), identifier=f"res-{sco.key}", type="webcontent",
                               href=sco.href)
        res.set(scorm_type, "sco")
        etree.SubElement(res, q(None, "file"), href=sco.href)
        etree.SubElement(res, q(None, "dependency"), identifierref=COMMON_ID)
    common = etree.SubElement(resources, q(None, "resource"), identifier=COMMON_ID, type="webcontent")
    common.set(scorm_type, "asset")
    for f in inp.common_files:
        etree.SubElement(common, q(None, "file"), href=f)
    return etree.tostring(manifest, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _decimal(x: float) -> str:
    text = f"{x:.4f}".rstrip("0").rstrip(".")
    return text if text else "0"
