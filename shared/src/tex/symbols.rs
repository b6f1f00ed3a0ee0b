//! The command tables: identifiers, operators, functions, spaces, accents,
//! delimiters and environments of school maths.

pub(super) fn lookup<T: Copy>(table: &[(&str, T)], name: &str) -> Option<T> {
    table
        .iter()
        .find(|entry| entry.0 == name)
        .map(|entry| entry.1)
}

/// Commands that are one identifier (`<mi>`): Greek and ordinary symbols.
/// TeX's `\epsilon`/`\phi` are the lunate/closed forms, the `var` ones the
/// everyday ε and φ.
#[rustfmt::skip]
pub(super) const IDENTIFIERS: &[(&str, &str)] = &[
    ("alpha", "α"), ("beta", "β"), ("gamma", "γ"), ("delta", "δ"), ("epsilon", "ϵ"),
    ("varepsilon", "ε"), ("zeta", "ζ"), ("eta", "η"), ("theta", "θ"), ("vartheta", "ϑ"),
    ("iota", "ι"), ("kappa", "κ"), ("lambda", "λ"), ("mu", "μ"), ("nu", "ν"), ("xi", "ξ"),
    ("pi", "π"), ("varpi", "ϖ"), ("rho", "ρ"), ("varrho", "ϱ"), ("sigma", "σ"),
    ("varsigma", "ς"), ("tau", "τ"), ("upsilon", "υ"), ("phi", "ϕ"), ("varphi", "φ"),
    ("chi", "χ"), ("psi", "ψ"), ("omega", "ω"),
    ("Gamma", "Γ"), ("Delta", "Δ"), ("Theta", "Θ"), ("Lambda", "Λ"), ("Xi", "Ξ"), ("Pi", "Π"),
    ("Sigma", "Σ"), ("Upsilon", "Υ"), ("Phi", "Φ"), ("Psi", "Ψ"), ("Omega", "Ω"),
    ("infty", "∞"), ("emptyset", "∅"), ("varnothing", "∅"), ("partial", "∂"), ("nabla", "∇"),
    ("angle", "∠"), ("triangle", "△"), ("ell", "ℓ"),
];

/// Commands that are one operator (`<mo>`): relations, binary operators,
/// arrows, dots, big operators, escaped punctuation.
#[rustfmt::skip]
pub(super) const OPERATORS: &[(&str, &str)] = &[
    ("le", "≤"), ("leq", "≤"), ("leqslant", "⩽"), ("ge", "≥"), ("geq", "≥"), ("geqslant", "⩾"),
    ("ne", "≠"), ("neq", "≠"), ("approx", "≈"), ("equiv", "≡"), ("sim", "∼"), ("simeq", "≃"),
    ("cong", "≅"), ("propto", "∝"), ("ll", "≪"), ("gg", "≫"), ("lt", "<"), ("gt", ">"),
    ("pm", "±"), ("mp", "∓"), ("times", "×"), ("cdot", "⋅"), ("div", "÷"), ("ast", "∗"),
    ("circ", "∘"), ("degree", "°"), ("bullet", "∙"), ("setminus", "∖"), ("prime", "′"),
    ("in", "∈"), ("notin", "∉"), ("ni", "∋"), ("subset", "⊂"), ("subseteq", "⊆"),
    ("supset", "⊃"), ("supseteq", "⊇"), ("cup", "∪"), ("cap", "∩"),
    ("forall", "∀"), ("exists", "∃"), ("neg", "¬"), ("land", "∧"), ("wedge", "∧"),
    ("lor", "∨"), ("vee", "∨"), ("therefore", "∴"), ("because", "∵"),
    ("Rightarrow", "⇒"), ("Leftarrow", "⇐"), ("Leftrightarrow", "⇔"), ("implies", "⟹"),
    ("iff", "⟺"), ("to", "→"), ("rightarrow", "→"), ("leftarrow", "←"), ("gets", "←"),
    ("leftrightarrow", "↔"), ("longrightarrow", "⟶"), ("mapsto", "↦"),
    ("uparrow", "↑"), ("downarrow", "↓"), ("nearrow", "↗"), ("searrow", "↘"),
    ("perp", "⊥"), ("parallel", "∥"), ("mid", "∣"),
    ("ldots", "…"), ("dots", "…"), ("cdots", "⋯"), ("vdots", "⋮"), ("ddots", "⋱"),
    ("sum", "∑"), ("prod", "∏"), ("int", "∫"), ("iint", "∬"), ("oint", "∮"),
    ("bigcup", "⋃"), ("bigcap", "⋂"),
    ("{", "{"), ("}", "}"), ("lbrace", "{"), ("rbrace", "}"), ("|", "‖"), ("Vert", "‖"),
    ("vert", "|"), ("langle", "⟨"), ("rangle", "⟩"), ("lfloor", "⌊"), ("rfloor", "⌋"),
    ("lceil", "⌈"), ("rceil", "⌉"), ("colon", ":"),
    ("%", "%"), ("$", "$"), ("#", "#"), ("&", "&"), ("_", "_"),
];

/// Function names, set upright as a multi-letter `<mi>`.
#[rustfmt::skip]
pub(super) const FUNCTIONS: &[&str] = &[
    "sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan", "sinh", "cosh",
    "tanh", "coth", "log", "ln", "lg", "exp", "lim", "max", "min", "sup", "inf", "det", "gcd",
    "deg", "arg", "dim", "ker",
];

/// Spacing commands and their widths (`\!` shows nothing: MathML Core has no
/// negative space).
#[rustfmt::skip]
pub(super) const SPACES: &[(&str, &str)] = &[
    (",", "0.1667em"), ("thinspace", "0.1667em"), (":", "0.2222em"), (">", "0.2222em"),
    (";", "0.2778em"), (" ", "0.25em"), ("enspace", "0.5em"), ("quad", "1em"), ("qquad", "2em"),
];

/// Accents as (mark, stretchy): the `wide`/`over` forms span their base.
#[rustfmt::skip]
pub(super) const ACCENTS: &[(&str, (&str, bool))] = &[
    ("overline", ("‾", true)), ("bar", ("¯", false)), ("vec", ("→", false)),
    ("overrightarrow", ("→", true)), ("overleftrightarrow", ("↔", true)),
    ("widehat", ("^", true)), ("hat", ("^", false)), ("widetilde", ("~", true)),
    ("tilde", ("~", false)), ("dot", ("˙", false)), ("ddot", ("¨", false)),
    ("wideparen", ("⏜", true)), ("overparen", ("⏜", true)),
];

/// What `\left`, `\right`, `\middle` and `\big` accept, by source text.
#[rustfmt::skip]
pub(super) const DELIMITERS: &[(&str, &str)] = &[
    ("(", "("), (")", ")"), ("[", "["), ("]", "]"), ("|", "|"), ("/", "/"), ("<", "⟨"),
    (">", "⟩"), ("\\{", "{"), ("\\}", "}"), ("\\lbrace", "{"), ("\\rbrace", "}"), ("\\|", "‖"),
    ("\\Vert", "‖"), ("\\vert", "|"), ("\\langle", "⟨"), ("\\rangle", "⟩"), ("\\lfloor", "⌊"),
    ("\\rfloor", "⌋"), ("\\lceil", "⌈"), ("\\rceil", "⌉"),
];

/// Environments drawn with brackets: (open, close), close empty for none.
/// Any other environment (`array`, `matrix`, `aligned` …) is a bare table.
#[rustfmt::skip]
pub(super) const ENVIRONMENTS: &[(&str, (&str, &str))] = &[
    ("cases", ("{", "")), ("pmatrix", ("(", ")")), ("bmatrix", ("[", "]")),
    ("Bmatrix", ("{", "}")), ("vmatrix", ("|", "|")), ("Vmatrix", ("‖", "‖")),
];
