//! The renderer's tests: plain text, delimiters, every construct, and the
//! safety rules.

use super::*;
use proptest::prelude::*;

/// The MathML children of an inline formula, without the `<math>` wrapper.
fn body(tex: &str) -> String {
    let out = formula_to_mathml(tex, false);
    out["<math>".len()..out.len() - "</math>".len()].to_string()
}

/// Checks that `html` is text plus only our own tags and attributes, with
/// every `&` an escape we write and no bare `"`, `'` or `>`.
fn assert_safe(html: &str) {
    const TAGS: &str = "math mrow mi mn mo mfrac msqrt mroot msup msub msubsup mtext \
                        mspace munder mover munderover mtable mtr mtd br mstyle";
    const ATTRS: &str = "display stretchy width mathvariant accent displaystyle";
    const ENTITIES: [&str; 5] = ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"];
    assert!(!html.to_lowercase().contains("<script"), "{html}");
    let mut open = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(['<', '&', '"', '\'', '>']) {
        let after = &rest[at + 1..];
        match rest.as_bytes()[at] {
            b'<' => {
                let end = after
                    .find('>')
                    .unwrap_or_else(|| panic!("unended tag: {html}"));
                let tag = &after[..end];
                rest = &after[end + 1..];
                if let Some(name) = tag.strip_prefix('/') {
                    assert_eq!(open.pop(), Some(name), "{html}");
                    continue;
                }
                if let Some(img) = tag.strip_prefix("img ") {
                    // Our one void tag with free text: a data: URL of
                    // base64 characters and an escaped alt.
                    let (src, alt) = img.split_once(r#"" alt=""#).expect("src then alt");
                    let src = src.strip_prefix(r#"class="q-img" src="data:image/"#);
                    let b64 = |c: char| c.is_ascii_alphanumeric() || "+/=;,".contains(c);
                    assert!(src.is_some_and(|s| s.chars().all(b64)), "{html}");
                    let alt = alt.strip_suffix('"').expect("quoted alt");
                    assert!(!alt.contains(['<', '>', '"', '\'']), "{html}");
                    continue;
                }
                let mut parts = tag.split(' ');
                let name = parts.next().unwrap_or_default();
                assert!(TAGS.split(' ').any(|t| t == name), "tag {name:?}: {html}");
                for attr in parts {
                    let (key, value) = attr.split_once('=').expect("attribute value");
                    let value = value.strip_prefix('"').and_then(|v| v.strip_suffix('"'));
                    assert!(ATTRS.split(' ').any(|a| a == key), "{key:?}: {html}");
                    let constant = |c: char| c.is_ascii_alphanumeric() || c == '.';
                    assert!(value.is_some_and(|v| v.chars().all(constant)), "{html}");
                }
                if name != "br" {
                    open.push(name);
                }
            }
            b'&' => {
                assert!(ENTITIES.iter().any(|e| rest[at..].starts_with(e)), "{html}");
                rest = after;
            }
            other => panic!("bare {:?}: {html}", other as char),
        }
    }
    assert!(open.is_empty(), "unclosed {open:?}: {html}");
}

#[test]
fn images_only_as_embedded_data() {
    let png = "![Hình 1: đồ thị](data:image/png;base64,iVBORw0KGgo=)";
    let html = to_html(&format!("Xem {png} rồi trả lời"));
    assert_eq!(
        html,
        r#"Xem <img class="q-img" src="data:image/png;base64,iVBORw0KGgo=" alt="Hình 1: đồ thị"> rồi trả lời"#
    );
    assert_safe(&html);
    for refused in [
        "![x](https://evil.example/a.png)",
        "![x](data:text/html;base64,PHNjcmlwdD4=)",
        "![x](data:image/png;base64,abc\"onerror=\"x)",
        "![x](javascript:alert(1))",
        "![a\nb](data:image/png;base64,AAAA)",
    ] {
        let html = to_html(refused);
        assert!(!html.contains("<img"), "{refused} → {html}");
        assert_safe(&html);
    }
    let html = to_html(r#"![<script>"'](data:image/gif;base64,R0lG)"#);
    assert!(
        html.contains(r#"alt="&lt;script&gt;&quot;&#39;""#),
        "{html}"
    );
    assert_safe(&html);
}

#[test]
fn vietnamese_sentence_with_inline_maths() {
    let html = to_html(r"Cho hàm số \(y = x^2 - 2x + 1\). Giá trị nhỏ nhất là");
    assert_eq!(
        html,
        "Cho hàm số <math><mi>y</mi><mo>=</mo><msup><mi>x</mi><mn>2</mn></msup>\
         <mo>−</mo><mn>2</mn><mi>x</mi><mo>+</mo><mn>1</mn></math>. Giá trị nhỏ nhất là"
    );
}

#[test]
fn fraction_root_and_scripts_exactly() {
    let frac = formula_to_mathml(r"\frac{a+1}{2}", false);
    let expected = "<mrow><mi>a</mi><mo>+</mo><mn>1</mn></mrow><mn>2</mn>";
    assert_eq!(frac, format!("<math><mfrac>{expected}</mfrac></math>"));
    let root = formula_to_mathml(r"\sqrt[3]{x}", false);
    assert_eq!(root, "<math><mroot><mi>x</mi><mn>3</mn></mroot></math>");
    let scripts = formula_to_mathml("x_1^2", false);
    assert_eq!(
        scripts,
        "<math><msubsup><mi>x</mi><mn>1</mn><mn>2</mn></msubsup></math>"
    );
}

/// (TeX, MathML inside an inline `<math>`), one or more per construct.
#[rustfmt::skip]
const INLINE: &[(&str, &str)] = &[
    // Numbers, identifiers, operators, groups.
    ("1,5+2.25", "<mn>1,5</mn><mo>+</mo><mn>2.25</mn>"),
    ("1, 5.", "<mn>1</mn><mo>,</mo><mn>5</mn><mo>.</mo>"),
    ("f'(x)", r#"<mi>f</mi><mo>′</mo><mo stretchy="false">(</mo><mi>x</mi><mo stretchy="false">)</mo>"#),
    ("a<b", "<mi>a</mi><mo>&lt;</mo><mi>b</mi>"),
    ("{a+b}", "<mrow><mi>a</mi><mo>+</mo><mi>b</mi></mrow>"),
    // Fractions and roots.
    (r"\dfrac12", r#"<mstyle displaystyle="true"><mfrac><mn>1</mn><mn>2</mn></mfrac></mstyle>"#),
    (r"\frac{1}", "<mfrac><mn>1</mn><mrow></mrow></mfrac>"),
    (r"\sqrt{x+1}", "<msqrt><mi>x</mi><mo>+</mo><mn>1</mn></msqrt>"),
    // Scripts.
    ("x^{2}_{i}", "<msubsup><mi>x</mi><mi>i</mi><mn>2</mn></msubsup>"),
    ("x^10", "<msup><mi>x</mi><mn>1</mn></msup><mn>0</mn>"),
    (r"30^\circ", "<msup><mn>30</mn><mo>∘</mo></msup>"),
    ("e^{-x}", "<msup><mi>e</mi><mrow><mo>−</mo><mi>x</mi></mrow></msup>"),
    ("x^2^3", "<msup><mi>x</mi><mn>2</mn></msup><msup><mrow></mrow><mn>3</mn></msup>"),
    // Greek, relations, operators, sets.
    (r"\alpha+\Delta \le \pi", r#"<mi>α</mi><mo>+</mo><mi mathvariant="normal">Δ</mi><mo>≤</mo><mi>π</mi>"#),
    (r"a\ne b", "<mi>a</mi><mo>≠</mo><mi>b</mi>"),
    (r"x\in\mathbb{R}", "<mi>x</mi><mo>∈</mo><mi>ℝ</mi>"),
    (r"1,2,\ldots", "<mn>1,2</mn><mo>,</mo><mo>…</mo>"),
    (r"\Rightarrow\infty", "<mo>⇒</mo><mi>∞</mi>"),
    // Functions: upright, with TeX's thin space before an ordinary argument.
    (r"\sin x", r#"<mi>sin</mi><mspace width="0.1667em"></mspace><mi>x</mi>"#),
    (r"\cos(x)", r#"<mi>cos</mi><mo stretchy="false">(</mo><mi>x</mi><mo stretchy="false">)</mo>"#),
    // Big operators inline: limits beside.
    (r"\sum_{i=1}^n i", "<msubsup><mo>∑</mo><mrow><mi>i</mi><mo>=</mo><mn>1</mn></mrow><mi>n</mi></msubsup><mi>i</mi>"),
    // \left … \right.
    (r"\left( \frac{1}{2} \right)", r#"<mrow><mo stretchy="true">(</mo><mfrac><mn>1</mn><mn>2</mn></mfrac><mo stretchy="true">)</mo></mrow>"#),
    (r"\left\{ x \right.", r#"<mrow><mo stretchy="true">{</mo><mi>x</mi></mrow>"#),
    (r"\left| x \right|", r#"<mrow><mo stretchy="true">|</mo><mi>x</mi><mo stretchy="true">|</mo></mrow>"#),
    // Accents.
    (r"\overline{AB}", r#"<mover accent="true"><mrow><mi>A</mi><mi>B</mi></mrow><mo stretchy="true">‾</mo></mover>"#),
    (r"\vec{u}", r#"<mover accent="true"><mi>u</mi><mo stretchy="false">→</mo></mover>"#),
    (r"\widehat{A}", r#"<mover accent="true"><mi>A</mi><mo stretchy="true">^</mo></mover>"#),
    // Text and spacing.
    (r"\text{nếu } x", "<mtext>nếu\u{a0}</mtext><mi>x</mi>"),
    (r"\mathrm{d}x", "<mtext>d</mtext><mi>x</mi>"),
    (r"\text{50\%}", "<mtext>50%</mtext>"),
    (r"a\,b\quad c\!d", r#"<mi>a</mi><mspace width="0.1667em"></mspace><mi>b</mi><mspace width="1em"></mspace><mi>c</mi><mi>d</mi>"#),
    // Environments.
    (r"\begin{cases} x & x \ge 0 \\ -x & x < 0 \\ \end{cases}", r#"<mrow><mo stretchy="true">{</mo><mtable><mtr><mtd><mi>x</mi></mtd><mtd><mi>x</mi><mo>≥</mo><mn>0</mn></mtd></mtr><mtr><mtd><mo>−</mo><mi>x</mi></mtd><mtd><mi>x</mi><mo>&lt;</mo><mn>0</mn></mtd></mtr></mtable></mrow>"#),
    (r"\begin{pmatrix} 1 & 2 \end{pmatrix}", r#"<mrow><mo stretchy="true">(</mo><mtable><mtr><mtd><mn>1</mn></mtd><mtd><mn>2</mn></mtd></mtr></mtable><mo stretchy="true">)</mo></mrow>"#),
    (r"\begin{array}{l|c} a \\ b \end{array}", "<mtable><mtr><mtd><mi>a</mi></mtd></mtr><mtr><mtd><mi>b</mi></mtd></mtr></mtable>"),
    // Unknown commands: shown, escaped.
    (r"\foo{x}", r"<mtext>\foo</mtext><mi>x</mi>"),
    (r"\<", r"<mtext>\&lt;</mtext>"),
    ("\\", r"<mtext>\</mtext>"),
];

#[test]
fn each_construct_renders_as_expected() {
    for (tex, expected) in INLINE {
        assert_eq!(body(tex), *expected, "{tex}");
    }
}

#[test]
fn display_style() {
    let sum = formula_to_mathml(r"\sum_{i=1}^{n} i", true);
    assert!(sum.starts_with(r#"<math display="block"><munderover><mo>∑</mo><mrow>"#));
    let lim = formula_to_mathml(r"\lim_{x\to 0} f(x)", true);
    assert!(
        lim.contains("<munder><mi>lim</mi><mrow><mi>x</mi><mo>→</mo><mn>0</mn></mrow></munder>")
    );
    // Integrals keep their limits beside the sign, as in TeX.
    assert!(formula_to_mathml(r"\int_0^1", true).contains("<msubsup><mo>∫</mo>"));
    let tfrac = formula_to_mathml(r"\tfrac{1}{2}", true);
    assert!(
        tfrac.contains(r#"<mstyle displaystyle="false"><mfrac>"#),
        "{tfrac}"
    );
}

/// (text, HTML) for delimiter detection and plain text.
#[rustfmt::skip]
const TEXT: &[(&str, &str)] = &[
    ("$x$", "<math><mi>x</mi></math>"),
    ("$$x$$", r#"<math display="block"><mi>x</mi></math>"#),
    (r"\[x\]", r#"<math display="block"><mi>x</mi></math>"#),
    (r"a \$5 và $b$", "a $5 và <math><mi>b</mi></math>"),
    // Unclosed delimiters are plain text.
    ("giá 5$ và x", "giá 5$ và x"),
    (r"\(x + 1", r"\(x + 1"),
    ("$$x$", "$$x$"),
    // An escaped dollar inside maths does not close it.
    (r"$a\$b$", "<math><mi>a</mi><mo>$</mo><mi>b</mi></math>"),
    ("a\nb\r\nc", "a<br>b<br>c"),
    // Script tags and attribute breakouts come out inert.
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    (r#""><img src=x onerror=alert(1)>"#, "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"),
    ("$<script>$", "<math><mo>&lt;</mo><mi>s</mi><mi>c</mi><mi>r</mi><mi>i</mi><mi>p</mi><mi>t</mi><mo>&gt;</mo></math>"),
    (r#"\(\text{"><img onerror=x>}\)"#, "<math><mtext>&quot;&gt;&lt;img\u{a0}onerror=x&gt;</mtext></math>"),
    (r#"$\"\'$"#, r"<math><mtext>\&quot;</mtext><mtext>\&#39;</mtext></math>"),
];

#[test]
fn text_and_delimiters() {
    for (text, expected) in TEXT {
        assert_eq!(to_html(text), *expected, "{text}");
    }
}

#[test]
fn attacks_in_formulas_come_out_inert() {
    let attack = r#""><img src=x onerror=alert(1)><script>alert('x')</script>"#;
    for text in [
        format!("${attack}$"),
        format!(r"$$\text{{{attack}}}$$"),
        format!(r"\[\mathrm{{{attack}}} \operatorname{{{attack}}} \mathbb{{{attack}}}\]"),
        format!(r"\(\begin{{{attack}}} x \end{{{attack}}} \foo{attack}\)"),
    ] {
        // assert_safe rejects any <img or <script tag and any bare quote.
        assert_safe(&to_html(&text));
    }
}

#[rustfmt::skip]
const MALFORMED: &[&str] = &[
    r"\frac{1}{", "}}}{{", r"\sqrt[", r"\left(", r"\right)", r"\begin{cases}", "x^", "^_^_",
    r"&&\\", r"\end{x}", r"\text{", "\\", r"\sqrt[3", r"\left", "x^{", "\u{0}",
];

#[test]
fn malformed_and_deep_input_renders_safely() {
    let deep = ["{", r"\frac", r"\sqrt[", r"\left(", "x^2", r"\begin{cases}"];
    let deep = deep.map(|piece| piece.repeat(20_000));
    for tex in MALFORMED
        .iter()
        .copied()
        .chain(deep.iter().map(String::as_str))
    {
        assert_safe(&formula_to_mathml(tex, true));
        assert_safe(&to_html(&format!("${tex}$ and \\({tex}")));
    }
}

/// Pieces that hit the parser's corners far more often than random text.
#[rustfmt::skip]
const PIECES: &[&str] = &[
    r"\frac", r"\dfrac", r"\sqrt", "[", "]", "{", "}", "^", "_", "&", r"\\", r"\left",
    r"\right", ".", r"\begin{cases}", r"\end{cases}", r"\begin{array}{cc}", r"\text{", "$",
    "$$", r"\(", r"\)", r"\[", r"\]", "\\", r"\$", "<", ">", "\"", "'", "<script>", r"\sum",
    r"\lim", r"\overline", r"\mathbb", r"\foo", "x", "1,5", " ", "\n", r"\alpha",
    r"\{", "|",
];

fn texish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        prop::sample::select(PIECES).prop_map(String::from),
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..60).prop_map(|pieces| pieces.concat())
}

proptest! {
    #[test]
    fn arbitrary_strings_render_safely(text in any::<String>()) {
        assert_safe(&to_html(&text));
    }

    #[test]
    fn texish_strings_render_safely(text in texish()) {
        assert_safe(&to_html(&text));
        assert_safe(&formula_to_mathml(&text, true));
    }
}
