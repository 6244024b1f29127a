//! What people are told about decisions, and who is told: the words of
//! each notice are written once here, for the page and the email alike, in
//! English and in Spanish.

use crate::language::Language;

crate::text_enum! {
    pub enum NoticeKind ("notice") {
        /// A proposed solution waits for the person's stance.
        StanceNeeded => ("stance_needed", "Your stance is needed", "Se necesita su postura"),
        /// The decision ran past its deadline.
        DeadlinePassed => ("deadline_passed", "Deadline passed", "Plazo vencido"),
        /// Someone blocked it.
        Blocked => ("blocked", "Blocked", "Bloqueada"),
        /// It rose to the next level (by a member or its deadline).
        Escalated => ("escalated", "Escalated", "Elevada"),
        /// Consensus reached.
        Adopted => ("adopted", "Adopted", "Adoptada"),
        /// A meeting of a body the person sits on was called.
        Meeting => ("meeting", "Meeting called", "Reunión convocada"),
    }
}

/// Who hears of each event: the body's whole membership where their stance
/// or attendance is wanted, its co-leads and the decision's participants
/// otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Every seat holder of the body.
    WholeBody,
    /// The body's co-leads, and everyone who has added to the record.
    CoLeadsAndParticipants,
}

impl NoticeKind {
    pub fn audience(self) -> Audience {
        match self {
            NoticeKind::StanceNeeded | NoticeKind::Escalated | NoticeKind::Meeting => Audience::WholeBody,
            NoticeKind::DeadlinePassed | NoticeKind::Blocked | NoticeKind::Adopted => Audience::CoLeadsAndParticipants,
        }
    }

    /// The one-line notice, naming the decision and the body, in `language`.
    pub fn text(self, title: &str, body: &str, language: Language) -> String {
        if language == Language::Spanish {
            return match self {
                NoticeKind::StanceNeeded => {
                    format!("«{title}» en {body} busca el consenso: registre su postura.")
                }
                NoticeKind::DeadlinePassed => {
                    format!("«{title}» en {body} pasó su plazo sin consenso.")
                }
                NoticeKind::Blocked => {
                    format!("«{title}» en {body} está bloqueada: vuelva a las opciones o elévela.")
                }
                NoticeKind::Escalated => format!("«{title}» ha subido a {body} con todo su expediente."),
                NoticeKind::Adopted => format!("«{title}» en {body} se adoptó por consenso."),
                NoticeKind::Meeting => format!("{body} se reúne: {title}."),
            };
        }
        match self {
            NoticeKind::StanceNeeded => {
                format!("\"{title}\" in {body} is seeking consensus: record your stance.")
            }
            NoticeKind::DeadlinePassed => {
                format!("\"{title}\" in {body} passed its deadline without consensus.")
            }
            NoticeKind::Blocked => format!("\"{title}\" in {body} is blocked: go back to options or escalate it."),
            NoticeKind::Escalated => format!("\"{title}\" has come up to {body} with its whole record."),
            NoticeKind::Adopted => format!("\"{title}\" in {body} was adopted by consensus."),
            NoticeKind::Meeting => format!("{body} meets: {title}."),
        }
    }

    /// The email subject line, in both languages: the mail goes before the
    /// reader has chosen one.
    pub fn subject(self, title: &str) -> String {
        format!("[lmp] {} / {}: {title}", self.label(), self.label_in(Language::Spanish))
    }
}

/// An email address as a person types it: one `@`, something either side,
/// no spaces. The mail server has the last word.
pub fn check_email(email: &str) -> Result<(), crate::Refusal> {
    let ok = email.len() <= 254
        && !email.chars().any(char::is_whitespace)
        && email
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.') && !domain.contains('@'));
    if ok {
        Ok(())
    } else {
        Err(crate::refuse!(
            "{email:?} is not an email address",
            "{email:?} no es una dirección de correo electrónico"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_notice_names_the_decision_and_body() {
        for kind in NoticeKind::ALL {
            for language in Language::ALL {
                let text = kind.text("Night float pool", "4 West UBT", language);
                assert!(
                    text.contains("Night float pool") && text.contains("4 West UBT"),
                    "{text}"
                );
            }
            assert_ne!(
                kind.text("t", "b", Language::English),
                kind.text("t", "b", Language::Spanish)
            );
            let subject = kind.subject("Night float pool");
            assert!(
                subject.starts_with("[lmp] ") && subject.contains(kind.label_in(Language::Spanish)),
                "{subject}"
            );
        }
        assert_eq!(NoticeKind::StanceNeeded.audience(), Audience::WholeBody);
        assert_eq!(NoticeKind::Blocked.audience(), Audience::CoLeadsAndParticipants);
        assert_eq!(check_email("rivera@local39.org"), Ok(()));
        for bad in ["rivera", "@x.org", "a b@x.org", "a@b@x.org", "a@localhost"] {
            assert!(check_email(bad).is_err(), "{bad}");
        }
    }
}
