//! Question and option text: HTML-escaped, with TeX maths as MathML.
//!
//! The conversion belongs to `examgate_shared::tex` so authors' previews and
//! the exam agree; here it is only inserted into the page. Chromium renders
//! MathML natively, so no script or font is loaded for maths.

use examgate_shared::tex::to_html;
use yew::{AttrValue, Html};

/// Author text as markup. Safe to insert: `to_html` escapes every character
/// of the text and writes only markup it makes itself (TeX as MathML, MathML
/// re-emitted from its allow-list, `data:` pictures as `<img>`).
pub fn rich_text(text: &str) -> Html {
    Html::from_html_unchecked(AttrValue::from(to_html(text)))
}
