//! OMML → MathML, one construct of the §5.5 table at a time.

use super::omml_to_mathml;

fn convert(inner: &str) -> String {
    let xml = format!(
        r#"<m:oMath xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math">{inner}</m:oMath>"#
    );
    omml_to_mathml(&xml, false).unwrap()
}

fn r(text: &str) -> String {
    format!("<m:r><m:t>{text}</m:t></m:r>")
}

fn arg(name: &str, text: &str) -> String {
    format!("<m:{name}>{}</m:{name}>", r(text))
}

#[test]
fn runs_split_into_numbers_identifiers_and_operators() {
    assert_eq!(
        convert(&r("2x+10,5")),
        "<math><mn>2</mn><mi>x</mi><mo>+</mo><mn>10,5</mn></math>"
    );
    assert_eq!(
        convert(r#"<m:r><m:rPr><m:sty m:val="p"/></m:rPr><m:t>sin</m:t></m:r>"#),
        "<math><mi>sin</mi></math>"
    );
    assert_eq!(
        convert(r#"<m:r><m:rPr><m:nor/></m:rPr><m:t>a &lt; b</m:t></m:r>"#),
        "<math><mtext>a &lt; b</mtext></math>"
    );
    assert_eq!(
        convert(r#"<m:r><m:rPr><m:scr m:val="double-struck"/></m:rPr><m:t>R</m:t></m:r>"#),
        r#"<math><mi mathvariant="double-struck">R</mi></math>"#
    );
    let display = omml_to_mathml(
        r#"<m:oMath xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"><m:r><m:t>x</m:t></m:r></m:oMath>"#,
        true,
    );
    assert_eq!(
        display.as_deref(),
        Some(r#"<math display="block"><mi>x</mi></math>"#)
    );
}

#[test]
fn fractions_scripts_and_radicals() {
    let f = format!("<m:f>{}{}</m:f>", arg("num", "1"), arg("den", "x"));
    assert_eq!(
        convert(&f),
        "<math><mfrac><mn>1</mn><mi>x</mi></mfrac></math>"
    );
    let no_bar = format!(
        r#"<m:f><m:fPr><m:type m:val="noBar"/></m:fPr>{}{}</m:f>"#,
        arg("num", "n"),
        arg("den", "k")
    );
    assert_eq!(
        convert(&no_bar),
        r#"<math><mfrac linethickness="0"><mi>n</mi><mi>k</mi></mfrac></math>"#
    );
    let linear = format!(
        r#"<m:f><m:fPr><m:type m:val="lin"/></m:fPr>{}{}</m:f>"#,
        arg("num", "a"),
        arg("den", "b")
    );
    assert_eq!(
        convert(&linear),
        "<math><mrow><mi>a</mi><mo>/</mo><mi>b</mi></mrow></math>"
    );
    let sup = format!("<m:sSup>{}{}</m:sSup>", arg("e", "x"), arg("sup", "2"));
    assert_eq!(
        convert(&sup),
        "<math><msup><mi>x</mi><mn>2</mn></msup></math>"
    );
    let sub = format!("<m:sSub>{}{}</m:sSub>", arg("e", "a"), arg("sub", "n"));
    assert_eq!(
        convert(&sub),
        "<math><msub><mi>a</mi><mi>n</mi></msub></math>"
    );
    let both = format!(
        "<m:sSubSup>{}{}{}</m:sSubSup>",
        arg("e", "x"),
        arg("sub", "i"),
        arg("sup", "2")
    );
    assert_eq!(
        convert(&both),
        "<math><msubsup><mi>x</mi><mi>i</mi><mn>2</mn></msubsup></math>"
    );
    let pre = format!(
        "<m:sPre>{}{}{}</m:sPre>",
        arg("sub", "6"),
        arg("sup", "14"),
        arg("e", "C")
    );
    assert_eq!(
        convert(&pre),
        "<math><mmultiscripts><mi>C</mi><mprescripts/><mn>6</mn><mn>14</mn></mmultiscripts></math>"
    );
    let sqrt = format!(
        r#"<m:rad><m:radPr><m:degHide m:val="1"/></m:radPr><m:deg/>{}</m:rad>"#,
        arg("e", "2")
    );
    assert_eq!(convert(&sqrt), "<math><msqrt><mn>2</mn></msqrt></math>");
    let root = format!("<m:rad>{}{}</m:rad>", arg("deg", "3"), arg("e", "x"));
    assert_eq!(
        convert(&root),
        "<math><mroot><mi>x</mi><mn>3</mn></mroot></math>"
    );
}

#[test]
fn delimiters_operators_and_functions() {
    let paren = format!("<m:d>{}</m:d>", arg("e", "x"));
    assert_eq!(
        convert(&paren),
        r#"<math><mrow><mo fence="true">(</mo><mi>x</mi><mo fence="true">)</mo></mrow></math>"#
    );
    let set = format!(
        r#"<m:d><m:dPr><m:begChr m:val="{{"/><m:endChr m:val=""/><m:sepChr m:val=";"/></m:dPr>{}{}</m:d>"#,
        arg("e", "a"),
        arg("e", "b")
    );
    assert_eq!(
        convert(&set),
        r#"<math><mrow><mo fence="true">{</mo><mi>a</mi><mo separator="true">;</mo><mi>b</mi></mrow></math>"#
    );
    let integral = format!(
        "<m:nary>{}{}{}</m:nary>",
        arg("sub", "0"),
        arg("sup", "1"),
        arg("e", "x")
    );
    assert_eq!(
        convert(&integral),
        "<math><mrow><msubsup><mo>∫</mo><mn>0</mn><mn>1</mn></msubsup><mi>x</mi></mrow></math>"
    );
    let sum = format!(
        r#"<m:nary><m:naryPr><m:chr m:val="∑"/><m:limLoc m:val="undOvr"/><m:supHide m:val="1"/></m:naryPr>{}<m:sup/>{}</m:nary>"#,
        arg("sub", "k"),
        arg("e", "k")
    );
    assert_eq!(
        convert(&sum),
        "<math><mrow><munder><mo>∑</mo><mi>k</mi></munder><mi>k</mi></mrow></math>"
    );
    let func = format!(
        r#"<m:func><m:fName><m:r><m:rPr><m:sty m:val="p"/></m:rPr><m:t>cos</m:t></m:r></m:fName>{}</m:func>"#,
        arg("e", "x")
    );
    assert_eq!(
        convert(&func),
        "<math><mrow><mi>cos</mi><mo>\u{2061}</mo><mi>x</mi></mrow></math>"
    );
}

#[test]
fn accents_bars_limits_and_groups() {
    let acc = format!("<m:acc>{}</m:acc>", arg("e", "a"));
    assert_eq!(
        convert(&acc),
        "<math><mover accent=\"true\"><mi>a</mi><mo>\u{302}</mo></mover></math>"
    );
    let vector = format!(
        r#"<m:acc><m:accPr><m:chr m:val="⃗"/></m:accPr>{}</m:acc>"#,
        arg("e", "v")
    );
    assert_eq!(
        convert(&vector),
        "<math><mover accent=\"true\"><mi>v</mi><mo>\u{20D7}</mo></mover></math>"
    );
    let bar = format!(
        r#"<m:bar><m:barPr><m:pos m:val="top"/></m:barPr>{}</m:bar>"#,
        arg("e", "z")
    );
    assert_eq!(
        convert(&bar),
        "<math><mover accent=\"true\"><mi>z</mi><mo>‾</mo></mover></math>"
    );
    let under = format!("<m:bar>{}</m:bar>", arg("e", "z"));
    assert_eq!(
        convert(&under),
        "<math><munder accentunder=\"true\"><mi>z</mi><mo>_</mo></munder></math>"
    );
    let lim = format!(
        "<m:limLow>{}{}</m:limLow>",
        arg("e", "lim"),
        arg("lim", "n→∞")
    );
    assert_eq!(
        convert(&lim),
        "<math><munder><mrow><mi>l</mi><mi>i</mi><mi>m</mi></mrow><mrow><mi>n</mi><mo>→</mo><mo>∞</mo></mrow></munder></math>"
    );
    let upp = format!("<m:limUpp>{}{}</m:limUpp>", arg("e", "x"), arg("lim", "2"));
    assert_eq!(
        convert(&upp),
        "<math><mover><mi>x</mi><mn>2</mn></mover></math>"
    );
    let group = format!("<m:groupChr>{}</m:groupChr>", arg("e", "ab"));
    assert_eq!(
        convert(&group),
        "<math><munder><mrow><mi>a</mi><mi>b</mi></mrow><mo>\u{23DF}</mo></munder></math>"
    );
}

#[test]
fn matrices_arrays_and_boxes() {
    let matrix = format!(
        "<m:m><m:mr>{}{}</m:mr><m:mr>{}{}</m:mr></m:m>",
        arg("e", "1"),
        arg("e", "0"),
        arg("e", "0"),
        arg("e", "1")
    );
    assert_eq!(
        convert(&matrix),
        "<math><mtable><mtr><mtd><mn>1</mn></mtd><mtd><mn>0</mn></mtd></mtr><mtr><mtd><mn>0</mn></mtd><mtd><mn>1</mn></mtd></mtr></mtable></math>"
    );
    let system = format!("<m:eqArr>{}{}</m:eqArr>", arg("e", "x=1"), arg("e", "y=2"));
    assert_eq!(
        convert(&system),
        concat!(
            r#"<math><mtable><mtr><mtd columnalign="left"><mrow><mi>x</mi><mo>=</mo><mn>1</mn></mrow></mtd></mtr>"#,
            r#"<mtr><mtd columnalign="left"><mrow><mi>y</mi><mo>=</mo><mn>2</mn></mrow></mtd></mtr></mtable></math>"#
        )
    );
    assert_eq!(
        convert(&format!("<m:box>{}</m:box>", arg("e", "x"))),
        "<math><mi>x</mi></math>"
    );
    assert_eq!(
        convert(&format!("<m:borderBox>{}</m:borderBox>", arg("e", "x"))),
        r#"<math><menclose notation="box"><mi>x</mi></menclose></math>"#
    );
    assert_eq!(
        convert(&format!("<m:phant>{}</m:phant>", arg("e", "x"))),
        "<math><mphantom><mi>x</mi></mphantom></math>"
    );
}
