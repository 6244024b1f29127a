//! Running a unit-based team: its charter, its meetings and huddles.

crate::text_enum! {
    /// The sections every team charter has.
    pub enum CharterSection ("charter section") {
        Purpose => ("purpose", "Purpose", "Propósito"),
        Goals => ("goals", "Goals: deliverables, measures, definition of done", "Metas: entregables, medidas, definición de terminado"),
        Membership => ("membership", "Membership and roles", "Miembros y funciones"),
        Quorum => ("quorum", "Quorum: to meet, to decide by consensus, emergency decisions between meetings", "Quórum: para reunirse, para decidir por consenso, decisiones urgentes entre reuniones"),
        Scope => ("scope", "Scope", "Alcance"),
        DecisionMaking => ("decision_making", "Decision making: consensus or not, recommendation or final, what happens without consensus", "Toma de decisiones: por consenso o no, recomendación o decisión final, qué pasa sin consenso"),
        GroundRules => ("ground_rules", "Ground rules", "Reglas básicas"),
    }
}

pub const MAX_SECTION_CHARS: usize = 4_000;

/// Check one section's text as a co-lead writes it.
pub fn check_charter_text(section: CharterSection, text: &str) -> Result<(), crate::Refusal> {
    let (name, name_es) = (section.label(), section.label_in(crate::language::Language::Spanish));
    if text.chars().count() > MAX_SECTION_CHARS {
        return Err(crate::refuse!(
            "{name} is longer than {MAX_SECTION_CHARS} characters; keep the charter short enough to read at a huddle",
            "«{name_es}» tiene más de {MAX_SECTION_CHARS} caracteres; el acta debe poder leerse en una reunión breve"
        ));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(crate::refuse!(
            "{name} contains control characters",
            "«{name_es}» contiene caracteres de control"
        ));
    }
    Ok(())
}

/// A charter is complete when every section has words in it.
pub fn charter_complete<'a>(written: impl IntoIterator<Item = (CharterSection, &'a str)>) -> bool {
    let written: Vec<CharterSection> = written
        .into_iter()
        .filter(|(_, text)| !text.trim().is_empty())
        .map(|(s, _)| s)
        .collect();
    CharterSection::ALL.iter().all(|s| written.contains(s))
}

crate::text_enum! {
    pub enum MeetingKind ("meeting kind") {
        Meeting => ("meeting", "Team meeting", "Reunión del equipo"),
        Huddle => ("huddle", "Huddle", "Reunión breve"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_charter_is_complete_when_every_section_is_written() {
        let mut sections: Vec<(CharterSection, &str)> = CharterSection::ALL.iter().map(|s| (*s, "agreed")).collect();
        assert!(charter_complete(sections.clone()));
        sections[3].1 = "  ";
        assert!(!charter_complete(sections.clone()));
        sections.pop();
        assert!(!charter_complete(sections));
    }

    #[test]
    fn charter_text_is_bounded_and_printable() {
        assert_eq!(
            check_charter_text(CharterSection::Scope, "The 4 West nursing unit\nnights too"),
            Ok(())
        );
        assert!(check_charter_text(CharterSection::Scope, &"x".repeat(MAX_SECTION_CHARS + 1)).is_err());
        assert!(check_charter_text(CharterSection::Scope, "bell\u{7}").is_err());
    }
}
