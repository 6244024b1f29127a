//! Small pieces of English the rules' messages share.

/// `noun` with its indefinite article: "an international", "a unit-based
/// team". By the first letter alone, which holds for the domain's nouns
/// ("a UBT", "a unit" are said with a consonant).
pub fn a(noun: &str) -> String {
    let article = match noun.chars().next().map(|c| c.to_ascii_lowercase()) {
        Some('a' | 'e' | 'i' | 'o') => "an",
        _ => "a",
    };
    format!("{article} {noun}")
}

#[cfg(test)]
mod tests {
    use super::a;

    #[test]
    fn an_before_a_vowel_a_before_the_rest() {
        assert_eq!(a("international"), "an international");
        assert_eq!(a("hospital"), "a hospital");
        assert_eq!(a("unit-based team"), "a unit-based team");
        assert_eq!(a("Executive sponsor"), "an Executive sponsor");
        assert_eq!(a(""), "a ");
    }
}
