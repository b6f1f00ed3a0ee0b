//! One question as a QTI 3.0 item file: response declaration, SCORE,
//! item body (prompt and interaction), response processing (a standard
//! template, or `equal` with a tolerance for numbers) and the explanation
//! as modal feedback called `SOLUTION`.

use examgate_shared::bank::Item;
use examgate_shared::exam::{Body, MultiRule};
use examgate_shared::numeric::Decimal;

use super::super::item::TABLE_OUTCOME;
use super::super::names::{ITEM_NS_3P0, TEMPLATE_BASE};
use super::super::xml::escape_attr;
use super::inline;

/// Choice identifiers: A, B, … (the importer never reads them as letters).
fn choice_id(index: usize) -> String {
    char::from(b'A' + index.min(25) as u8).to_string()
}

/// A number as QTI writes floats: with a decimal point.
fn number(d: Decimal) -> String {
    d.to_string().replace(',', ".")
}

/// The item file for `item`, identified as `identifier`; `Err` says what
/// the file cannot carry.
pub fn write(item: &Item, identifier: &str) -> Result<String, String> {
    let expected_feedback = match &item.body {
        Body::TrueFalse { statements, .. } => statements.len(),
        Body::Numeric { .. } => 0,
        other => other.options().len(),
    };
    if !item.option_feedback.is_empty() && item.option_feedback.len() != expected_feedback {
        return Err(format!(
            "{} option feedback texts for {expected_feedback} options or statements; QTI \
             carries one per choice",
            item.option_feedback.len()
        ));
    }
    let mut x = Writer {
        item,
        out: String::new(),
    };
    x.open(identifier);
    match &item.body {
        Body::SingleChoice {
            options,
            key,
            pinned,
        } => {
            x.declaration("single", "identifier", &[choice_id(usize::from(key.0))], "");
            x.outcomes();
            let fixed: Vec<usize> = pinned.iter().map(|p| usize::from(p.0)).collect();
            x.choices(options, &fixed, 1);
            x.template("match_correct");
        }
        Body::MultipleResponse {
            options,
            keys,
            pinned,
            rule,
        } => {
            let correct: Vec<String> = keys.iter().map(|k| choice_id(usize::from(k.0))).collect();
            let mapping = match rule {
                MultiRule::AllOrNothing => String::new(),
                MultiRule::RightMinusWrong => share_mapping(options.len(), &correct),
            };
            x.declaration("multiple", "identifier", &correct, &mapping);
            x.outcomes();
            let fixed: Vec<usize> = pinned.iter().map(|p| usize::from(p.0)).collect();
            x.choices(options, &fixed, 0);
            x.template(match rule {
                MultiRule::AllOrNothing => "match_correct",
                MultiRule::RightMinusWrong => "map_response",
            });
        }
        Body::TrueFalse {
            statements,
            keys,
            table,
        } => {
            let pairs: Vec<String> = keys
                .iter()
                .enumerate()
                .map(|(i, k)| format!("S{} {}", i + 1, if *k { "true" } else { "false" }))
                .collect();
            let entries: String = pairs
                .iter()
                .map(|p| format!("      <qti-map-entry map-key=\"{p}\" mapped-value=\"1\"/>\n"))
                .collect();
            let mapping = format!(
                "    <qti-mapping default-value=\"0\" lower-bound=\"0\">\n{entries}    </qti-mapping>\n"
            );
            x.declaration("multiple", "directedPair", &pairs, &mapping);
            x.outcomes();
            if let Some(table) = table {
                x.table(table);
            }
            x.true_false(statements);
            x.template("map_response");
        }
        Body::Numeric { key, tolerance } => {
            x.declaration("single", "float", &[number(*key)], "");
            x.outcomes();
            x.numeric();
            x.equal(*tolerance);
        }
    }
    x.close();
    Ok(x.out)
}

/// `map_response` entries giving each right choice 1/k and each other −1/k,
/// never below zero: right minus wrong.
fn share_mapping(options: usize, correct: &[String]) -> String {
    let share = 1.0 / correct.len().max(1) as f64;
    let mut out =
        String::from("    <qti-mapping default-value=\"0\" lower-bound=\"0\" upper-bound=\"1\">\n");
    for id in (0..options).map(choice_id) {
        let value = if correct.contains(&id) { share } else { -share };
        out.push_str(&format!(
            "      <qti-map-entry map-key=\"{id}\" mapped-value=\"{value}\"/>\n"
        ));
    }
    out.push_str("    </qti-mapping>\n");
    out
}

struct Writer<'i> {
    item: &'i Item,
    out: String,
}

impl Writer<'_> {
    fn line(&mut self, text: &str) {
        self.out.push_str(text);
        self.out.push('\n');
    }

    /// Inline content for `text` (pictures of this item resolved).
    fn inline(&mut self, text: &str) {
        inline::write(text, &self.item.images, &mut self.out);
    }

    fn open(&mut self, identifier: &str) {
        let title = self.item.title.as_deref().unwrap_or("");
        self.line("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        self.line(&format!(
            "<qti-assessment-item xmlns=\"{ITEM_NS_3P0}\" identifier=\"{}\" title=\"{}\" \
             adaptive=\"false\" time-dependent=\"false\">",
            escape_attr(identifier),
            escape_attr(title)
        ));
    }

    fn declaration(
        &mut self,
        cardinality: &str,
        base_type: &str,
        correct: &[String],
        mapping: &str,
    ) {
        self.line(&format!(
            "  <qti-response-declaration identifier=\"RESPONSE\" cardinality=\"{cardinality}\" \
             base-type=\"{base_type}\">"
        ));
        self.line("    <qti-correct-response>");
        for value in correct {
            self.line(&format!("      <qti-value>{value}</qti-value>"));
        }
        self.line("    </qti-correct-response>");
        self.out.push_str(mapping);
        self.line("  </qti-response-declaration>");
    }

    fn outcomes(&mut self) {
        self.line("  <qti-outcome-declaration identifier=\"SCORE\" cardinality=\"single\" base-type=\"float\">");
        self.line("    <qti-default-value><qti-value>0</qti-value></qti-default-value>");
        self.line("  </qti-outcome-declaration>");
        if self.item.explanation.is_some() || !self.item.option_feedback.is_empty() {
            self.line(
                "  <qti-outcome-declaration identifier=\"FEEDBACK\" cardinality=\"single\" \
                 base-type=\"identifier\"/>",
            );
        }
    }

    fn table(&mut self, table: &[u16]) {
        self.line(&format!(
            "  <qti-outcome-declaration identifier=\"{TABLE_OUTCOME}\" cardinality=\"ordered\" \
             base-type=\"integer\">"
        ));
        self.out.push_str("    <qti-default-value>");
        for per_mille in table {
            self.out
                .push_str(&format!("<qti-value>{per_mille}</qti-value>"));
        }
        self.line("</qti-default-value>");
        self.line("  </qti-outcome-declaration>");
    }

    fn prompt(&mut self) {
        self.out.push_str("      <qti-prompt>");
        let text = self.item.text.clone();
        self.inline(&text);
        self.line("</qti-prompt>");
    }

    /// Feedback for option `index`, inside its choice.
    fn feedback(&mut self, index: usize) {
        let Some(text) = self
            .item
            .option_feedback
            .get(index)
            .filter(|t| !t.is_empty())
        else {
            return;
        };
        let text = text.clone();
        self.out.push_str(&format!(
            "<qti-feedback-inline outcome-identifier=\"FEEDBACK\" identifier=\"{}\" \
             show-hide=\"show\">",
            choice_id(index)
        ));
        self.inline(&text);
        self.out.push_str("</qti-feedback-inline>");
    }

    fn choices(&mut self, options: &[String], fixed: &[usize], max_choices: usize) {
        self.line("  <qti-item-body>");
        self.line(&format!(
            "    <qti-choice-interaction response-identifier=\"RESPONSE\" shuffle=\"true\" \
             max-choices=\"{max_choices}\">"
        ));
        self.prompt();
        for (i, option) in options.iter().enumerate() {
            let pin = if fixed.contains(&i) {
                " fixed=\"true\""
            } else {
                ""
            };
            self.out.push_str(&format!(
                "      <qti-simple-choice identifier=\"{}\"{pin}>",
                choice_id(i)
            ));
            self.inline(option);
            self.feedback(i);
            self.line("</qti-simple-choice>");
        }
        self.line("    </qti-choice-interaction>");
        self.line("  </qti-item-body>");
    }

    fn true_false(&mut self, statements: &[String]) {
        self.line("  <qti-item-body>");
        self.line(&format!(
            "    <qti-match-interaction response-identifier=\"RESPONSE\" shuffle=\"false\" \
             max-associations=\"{}\">",
            statements.len()
        ));
        self.prompt();
        self.line("      <qti-simple-match-set>");
        for (i, statement) in statements.iter().enumerate() {
            self.out.push_str(&format!(
                "        <qti-simple-associable-choice identifier=\"S{}\" match-max=\"1\">",
                i + 1
            ));
            self.inline(statement);
            self.feedback(i);
            self.line("</qti-simple-associable-choice>");
        }
        self.line("      </qti-simple-match-set>");
        self.line("      <qti-simple-match-set>");
        self.line("        <qti-simple-associable-choice identifier=\"true\" match-max=\"0\">True</qti-simple-associable-choice>");
        self.line("        <qti-simple-associable-choice identifier=\"false\" match-max=\"0\">False</qti-simple-associable-choice>");
        self.line("      </qti-simple-match-set>");
        self.line("    </qti-match-interaction>");
        self.line("  </qti-item-body>");
    }

    fn numeric(&mut self) {
        self.line("  <qti-item-body>");
        self.out.push_str("    <div>");
        let text = self.item.text.clone();
        self.inline(&text);
        self.line("</div>");
        self.line("    <p><qti-text-entry-interaction response-identifier=\"RESPONSE\"/></p>");
        self.line("  </qti-item-body>");
    }

    fn template(&mut self, name: &str) {
        self.line(&format!(
            "  <qti-response-processing template=\"{TEMPLATE_BASE}{name}\"/>"
        ));
    }

    /// Right when `RESPONSE` equals the key within the tolerance.
    fn equal(&mut self, tolerance: Option<Decimal>) {
        let compare = match tolerance {
            Some(t) => format!(
                "tolerance-mode=\"absolute\" tolerance=\"{0} {0}\"",
                number(t)
            ),
            None => "tolerance-mode=\"exact\"".to_string(),
        };
        for line in [
            "  <qti-response-processing>",
            "    <qti-response-condition>",
            "      <qti-response-if>",
            &format!("        <qti-equal {compare}>"),
            "          <qti-variable identifier=\"RESPONSE\"/>",
            "          <qti-correct identifier=\"RESPONSE\"/>",
            "        </qti-equal>",
            "        <qti-set-outcome-value identifier=\"SCORE\"><qti-base-value base-type=\"float\">1</qti-base-value></qti-set-outcome-value>",
            "      </qti-response-if>",
            "      <qti-response-else>",
            "        <qti-set-outcome-value identifier=\"SCORE\"><qti-base-value base-type=\"float\">0</qti-base-value></qti-set-outcome-value>",
            "      </qti-response-else>",
            "    </qti-response-condition>",
            "  </qti-response-processing>",
        ] {
            self.line(line);
        }
    }

    fn close(&mut self) {
        if let Some(explanation) = &self.item.explanation {
            let explanation = explanation.clone();
            self.line(
                "  <qti-modal-feedback outcome-identifier=\"FEEDBACK\" identifier=\"SOLUTION\" \
                 show-hide=\"show\">",
            );
            self.out.push_str("    <qti-content-body><div>");
            self.inline(&explanation);
            self.line("</div></qti-content-body>");
            self.line("  </qti-modal-feedback>");
        }
        self.line("</qti-assessment-item>");
    }
}
