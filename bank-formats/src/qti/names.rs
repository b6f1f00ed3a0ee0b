//! QTI's names across versions: namespaces, resource types, and one
//! spelling for elements and attributes.
//!
//! QTI 3 renamed `choiceInteraction` to `qti-choice-interaction` and
//! `baseType` to `base-type`; [`canonicalise`] rewrites a whole tree into the
//! 2.x camelCase spelling so the importer reads one vocabulary.

use super::mathml::MATHML_NS;
use super::xml::{Element, Node};

pub const ITEM_NS_2P1: &str = "http://www.imsglobal.org/xsd/imsqti_v2p1";
pub const ITEM_NS_2P2: &str = "http://www.imsglobal.org/xsd/imsqti_v2p2";
pub const ITEM_NS_3P0: &str = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0";
pub const ITEM_NAMESPACES: [&str; 3] = [ITEM_NS_2P1, ITEM_NS_2P2, ITEM_NS_3P0];

/// The QTI 3 manifest namespace (2.x packages use IMS CP's own,
/// `http://www.imsglobal.org/xsd/imscp_v1p1`; both are read alike).
pub const MANIFEST_NS_3: &str = "http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1";

/// Resource types that are items examgate reads.
pub const ITEM_TYPES: [&str; 3] = [
    "imsqti_item_xmlv2p1",
    "imsqti_item_xmlv2p2",
    "imsqti_item_xmlv3p0",
];

/// Where QTI 3 publishes its response-processing templates.
pub const TEMPLATE_BASE: &str = "https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/";

/// Rewrites QTI 3 names (`qti-simple-choice`, `response-identifier`) to the
/// 2.x spelling (`simpleChoice`, `responseIdentifier`); MathML is left as
/// it is. Depth is bounded by the parser.
pub fn canonicalise(element: &mut Element) {
    if element.ns == MATHML_NS || element.name == "math" {
        return;
    }
    if let Some(bare) = element.name.strip_prefix("qti-") {
        element.name = camel(bare);
    }
    for (key, _) in element.attrs.iter_mut() {
        if key.contains('-') && !key.starts_with("data-") && !key.starts_with("aria-") {
            *key = camel(key);
        }
    }
    for child in element.children.iter_mut() {
        if let Node::Element(child) = child {
            canonicalise(child);
        }
    }
}

/// `simple-choice` → `simpleChoice`.
fn camel(kebab: &str) -> String {
    let mut out = String::with_capacity(kebab.len());
    let mut upper = false;
    for c in kebab.chars() {
        if c == '-' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// A template URI's name, however it is spelled: the last path segment
/// without `.xml` (`…/qti_v2p1/rptemplates/match_correct` → `match_correct`).
pub fn template_name(uri: &str) -> String {
    let last = uri.trim().rsplit('/').next().unwrap_or("");
    last.strip_suffix(".xml")
        .unwrap_or(last)
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_templates_read_in_every_spelling() {
        assert_eq!(camel("choice-interaction"), "choiceInteraction");
        assert_eq!(camel("map-key"), "mapKey");
        for uri in [
            "http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct",
            "http://www.imsglobal.org/question/qti_v2p2/rptemplates/match_correct",
            "https://www.imsglobal.org/question/qti_v3p0/rptemplates/match_correct.xml",
            "https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct",
        ] {
            assert_eq!(template_name(uri), "match_correct");
        }
    }
}
