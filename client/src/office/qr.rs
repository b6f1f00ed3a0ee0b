//! QR codes for seat cards: the join link (`{origin}/?code=JOIN`) drawn as
//! inline SVG by the `qrcode` crate (staff build only). The SVG is ours,
//! built from the code's modules, so it is inserted as markup.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use yew::prelude::*;

use super::fetch::encode_segment;

/// The address a phone or the student's browser opens for a join code.
pub fn join_url(origin: &str, code: &str) -> String {
    format!("{origin}/?code={}", encode_segment(code))
}

/// `text` as an `<svg>` element (without the XML declaration, which has no
/// place inside HTML); `None` if it does not fit a QR code.
pub fn qr_svg(text: &str) -> Option<String> {
    // Level M survives a crease or a smudge on a printed card.
    let code = QrCode::with_error_correction_level(text, EcLevel::M).ok()?;
    let image = code
        .render::<svg::Color>()
        .quiet_zone(true)
        .module_dimensions(4, 4)
        .build();
    let start = image.find("<svg")?;
    Some(image[start..].to_owned())
}

/// The QR code of `text` as markup, drawn once per text however many
/// cards repeat it.
#[hook]
pub fn use_qr(text: AttrValue) -> Html {
    let svg = use_memo(text.clone(), |text| qr_svg(text).unwrap_or_default());
    html! {
        <span class="qr" data-text={text.clone()} role="img" aria-label={text}>
            { Html::from_html_unchecked(AttrValue::from((*svg).clone())) }
        </span>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_join_link_becomes_an_svg() {
        let url = join_url("http://192.168.1.10:8080", "K7Q2");
        assert_eq!(url, "http://192.168.1.10:8080/?code=K7Q2");
        let svg = qr_svg(&url).unwrap();
        assert!(svg.starts_with("<svg"), "{svg:.40}");
        assert!(svg.ends_with("</svg>"));
        assert!(svg.contains("<path"));
    }

    #[test]
    fn codes_are_escaped_in_the_link() {
        assert_eq!(join_url("http://h", "A B&"), "http://h/?code=A%20B%26");
    }
}
