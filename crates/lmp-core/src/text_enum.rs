//! Enums stored and shown as words: one declaration gives the list of values,
//! the stored word, the label people read in English and in Spanish,
//! `Display` and `FromStr` (whose error names every accepted word).

/// Declare a unit-variant enum with its stored word and its label in
/// English and in Spanish per variant.
#[macro_export]
macro_rules! text_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident ($what:literal) {
            $( $(#[$vmeta:meta])* $variant:ident => ($word:literal, $label:literal, $label_es:literal), )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        $vis enum $name {
            $( $(#[$vmeta])* #[serde(rename = $word)] $variant, )+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The word stored in the database and files.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word,)+ }
            }

            /// The words people read, in English.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }

            /// The words people read, in `language`.
            pub fn label_in(self, language: $crate::language::Language) -> &'static str {
                match language {
                    $crate::language::Language::English => self.label(),
                    $crate::language::Language::Spanish => match self { $($name::$variant => $label_es,)+ },
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::refusal::Refusal;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s.trim() {
                    $($word => Ok($name::$variant),)+
                    other => Err($crate::refusal::Refusal::unknown_word($what, other, &[$($word),+])),
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    crate::text_enum! {
        enum Colour ("colour") {
            Red => ("red", "Red", "Rojo"),
            DarkBlue => ("dark_blue", "Dark blue", "Azul oscuro"),
        }
    }

    #[test]
    fn words_round_trip_and_errors_list_the_choices() {
        for c in Colour::ALL {
            assert_eq!(c.as_str().parse::<Colour>(), Ok(*c));
        }
        assert_eq!(Colour::DarkBlue.label(), "Dark blue");
        assert_eq!(
            Colour::DarkBlue.label_in(crate::language::Language::Spanish),
            "Azul oscuro"
        );
        let refused = "green".parse::<Colour>().unwrap_err();
        assert_eq!(refused.to_string(), "unknown colour \"green\": expected red, dark_blue");
        assert_eq!(
            refused.in_language(crate::language::Language::Spanish),
            "\"green\" no es válido aquí: se espera red, dark_blue"
        );
    }
}
