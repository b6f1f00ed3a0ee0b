//! Languages: Vietnamese first, English second.
//!
//! Every string a person reads goes through [`Text`], which has both
//! languages for every key, so a missing translation is a compile error. The
//! current [`Lang`] travels through a Yew context ([`LangProvider`]); any
//! component reads it with [`use_i18n`] and the [`LangToggle`] button flips
//! it. The choice is remembered in `localStorage` (`examgate.lang`).

mod errors;
#[cfg(feature = "staff")]
mod report;
mod text;

use yew::prelude::*;

pub use errors::Problem;
#[cfg(feature = "staff")]
pub use report::ReportText;
pub use text::Text;

use crate::storage;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    /// The BCP 47 tag, also what `examgate.lang` holds.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }

    /// The remembered language, Vietnamese when none (or garbage) is stored.
    pub fn remembered() -> Lang {
        storage::load_lang()
            .and_then(|code| Lang::from_code(&code))
            .unwrap_or_default()
    }
}

/// What components get from the context.
#[derive(Clone, PartialEq)]
pub struct I18n {
    pub lang: Lang,
    set_lang: Callback<Lang>,
}

impl I18n {
    pub fn t(&self, text: Text) -> String {
        text.render(self.lang)
    }

    /// A callback that switches to the other language.
    pub fn toggle(&self) -> Callback<MouseEvent> {
        let (lang, set) = (self.lang, self.set_lang.clone());
        Callback::from(move |_| set.emit(lang.other()))
    }
}

/// The language as seen by components; Vietnamese outside a provider.
#[hook]
pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_else(|| I18n {
        lang: Lang::default(),
        set_lang: Callback::noop(),
    })
}

#[derive(Properties, PartialEq)]
pub struct LangProviderProps {
    #[prop_or_default]
    pub children: Html,
}

/// Holds the current language and keeps `<html lang>` and storage in step.
#[component]
pub fn LangProvider(props: &LangProviderProps) -> Html {
    let lang = use_state(Lang::remembered);
    use_effect_with(*lang, |lang| {
        storage::save_lang(lang.code());
        // Screen readers and the browser's hyphenation follow <html lang>.
        if let Some(html) = gloo::utils::document().document_element() {
            let _ = html.set_attribute("lang", lang.code());
        }
    });
    let context = I18n {
        lang: *lang,
        set_lang: lang.setter().to_callback(),
    };
    html! {
        <ContextProvider<I18n> context={context}>
            { props.children.clone() }
        </ContextProvider<I18n>>
    }
}

/// `#lang-toggle`: names the language it switches to, in that language, so
/// someone who cannot read the current one still finds it.
#[component]
pub fn LangToggle() -> Html {
    let i18n = use_i18n();
    html! {
        <button id="lang-toggle" type="button" class="lang-toggle"
            data-lang={i18n.lang.code()}
            title={i18n.t(Text::SwitchLanguage)}
            onclick={i18n.toggle()}>
            <span lang={i18n.lang.other().code()}>{ i18n.t(Text::OtherLanguageName) }</span>
        </button>
    }
}
