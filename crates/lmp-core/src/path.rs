//! Path to Performance: a team's maturity, levels 1–5, computed from its
//! record — never typed in.
//!
//! Seven dimensions each set criteria per level; a team is at level N when
//! it meets every criterion of every level up to N. The criteria are data
//! ([`PathRules`]), so a partnership can change them; the default set is
//! what the public sources name, filled in where they are silent (each
//! default says which).

use crate::body::BodyRole;
use crate::improvement::CompassPoint;
use crate::language::Language;
use crate::side::Side;
use crate::training::Class;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

pub const TOP_LEVEL: u8 = 5;

/// The name of each level, 1–5, in `language`.
pub fn level_name_in(level: u8, language: Language) -> &'static str {
    match language {
        Language::English => level_name(level),
        Language::Spanish => match level {
            0 => "Aún no llega al nivel 1",
            1 => "Clima previo al equipo",
            2 => "Fundacional",
            3 => "De transición",
            4 => "Operativo",
            _ => "De alto desempeño",
        },
    }
}

/// The name of each level, 1–5.
pub fn level_name(level: u8) -> &'static str {
    match level {
        0 => "Not yet at level 1",
        1 => "Pre-Team Climate",
        2 => "Foundational",
        3 => "Transitional",
        4 => "Operational",
        _ => "High-Performing",
    }
}

crate::text_enum! {
    pub enum Dimension ("dimension") {
        Sponsorship => ("sponsorship", "Sponsorship", "Patrocinio"),
        Leadership => ("leadership", "Leadership", "Liderazgo"),
        Training => ("training", "Training", "Capacitación"),
        TeamProcess => ("team_process", "Team process", "Proceso del equipo"),
        Engagement => ("engagement", "Team member engagement", "Participación de los miembros"),
        Tools => ("tools", "Use of tools", "Uso de herramientas"),
        Performance => ("performance", "Goals and performance", "Metas y desempeño"),
    }
}

/// One thing a team's record shows or does not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "criterion", rename_all = "snake_case")]
pub enum Criterion {
    /// A labor and a management sponsor.
    SponsorsIdentified,
    /// A labor and a management co-lead.
    CoLeadsIdentified,
    /// Every co-lead (or every sponsor) on both sides has completed the class.
    CoLeadsTrained {
        class: Class,
    },
    SponsorsTrained {
        class: Class,
    },
    /// Every charter section written.
    CharterComplete,
    /// The team met at least this often lately.
    MeetsRegularly {
        meetings: u32,
        within_days: i32,
    },
    /// A sponsor of each side came to a team meeting lately.
    SponsorsMetTheTeam {
        within_days: i32,
    },
    /// The labor and the management co-lead each ran a meeting lately:
    /// jointly accountable, either can lead.
    EachCoLeadRanAMeeting {
        within_days: i32,
    },
    /// A member who is not a co-lead ran a meeting lately: self-managed.
    MembersRanAMeeting {
        within_days: i32,
    },
    /// At least this many tests of change finished.
    TestsOfChangeDone {
        at_least: u32,
    },
    /// Some project documented lately.
    WorkDocumented {
        within_days: i32,
    },
    /// Every active project documented lately (and at least one active).
    AllProjectsDocumented {
        within_days: i32,
    },
    /// A project with a SMART goal.
    SmartGoalSet,
    /// A named health and safety champion.
    HealthAndSafetyChampion,
    /// Project targets on every point of the Value Compass.
    CompassCovered,
    /// A practice spread to, or adopted from, another team.
    PracticeSpread,
}

impl Criterion {
    /// The criterion in words, as the team page lists it.
    pub fn describe(&self) -> String {
        match self {
            Criterion::SponsorsIdentified => "a labor and a management sponsor".into(),
            Criterion::CoLeadsIdentified => "a labor and a management co-lead".into(),
            Criterion::CoLeadsTrained { class } => format!("every co-lead has completed {}", class.label()),
            Criterion::SponsorsTrained { class } => format!("every sponsor has completed {}", class.label()),
            Criterion::CharterComplete => "every section of the charter written".into(),
            Criterion::MeetsRegularly { meetings, within_days } => {
                format!("at least {meetings} team meetings in the last {within_days} days")
            }
            Criterion::SponsorsMetTheTeam { within_days } => {
                format!("a labor and a management sponsor each at a team meeting in the last {within_days} days")
            }
            Criterion::EachCoLeadRanAMeeting { within_days } => {
                format!("the labor and the management co-lead each ran a meeting in the last {within_days} days")
            }
            Criterion::MembersRanAMeeting { within_days } => {
                format!("a team member who is not a co-lead ran a meeting in the last {within_days} days")
            }
            Criterion::TestsOfChangeDone { at_least } => format!("at least {at_least} tests of change done"),
            Criterion::WorkDocumented { within_days } => {
                format!("project work documented in the last {within_days} days")
            }
            Criterion::AllProjectsDocumented { within_days } => {
                format!("every active project documented in the last {within_days} days")
            }
            Criterion::SmartGoalSet => "a project with a SMART goal (measure, target, date)".into(),
            Criterion::HealthAndSafetyChampion => "a health and safety champion named".into(),
            Criterion::CompassCovered => "project targets on all four points of the Value Compass".into(),
            Criterion::PracticeSpread => "a practice spread to, or adopted from, another team".into(),
        }
    }

    /// The criterion in words, in `language`.
    pub fn describe_in(&self, language: Language) -> String {
        if language == Language::English {
            return self.describe();
        }
        match self {
            Criterion::SponsorsIdentified => "un patrocinador sindical y uno de la gerencia".into(),
            Criterion::CoLeadsIdentified => "un colíder sindical y uno de la gerencia".into(),
            Criterion::CoLeadsTrained { class } => {
                format!("cada colíder ha completado {}", class.label_in(language))
            }
            Criterion::SponsorsTrained { class } => {
                format!("cada patrocinador ha completado {}", class.label_in(language))
            }
            Criterion::CharterComplete => "cada sección del acta constitutiva escrita".into(),
            Criterion::MeetsRegularly { meetings, within_days } => {
                format!("al menos {meetings} reuniones del equipo en los últimos {within_days} días")
            }
            Criterion::SponsorsMetTheTeam { within_days } => format!(
                "un patrocinador sindical y uno de la gerencia, cada uno en una reunión del equipo en los últimos {within_days} días"
            ),
            Criterion::EachCoLeadRanAMeeting { within_days } => format!(
                "el colíder sindical y el de la gerencia dirigieron cada uno una reunión en los últimos {within_days} días"
            ),
            Criterion::MembersRanAMeeting { within_days } => format!(
                "un miembro del equipo que no es colíder dirigió una reunión en los últimos {within_days} días"
            ),
            Criterion::TestsOfChangeDone { at_least } => format!("al menos {at_least} pruebas de cambio hechas"),
            Criterion::WorkDocumented { within_days } => {
                format!("trabajo de proyecto documentado en los últimos {within_days} días")
            }
            Criterion::AllProjectsDocumented { within_days } => {
                format!("cada proyecto activo documentado en los últimos {within_days} días")
            }
            Criterion::SmartGoalSet => "un proyecto con una meta SMART (medida, objetivo, fecha)".into(),
            Criterion::HealthAndSafetyChampion => "un responsable de salud y seguridad nombrado".into(),
            Criterion::CompassCovered => "metas de proyecto en los cuatro puntos de la Brújula de Valor".into(),
            Criterion::PracticeSpread => "una práctica extendida a otro equipo, o adoptada de otro".into(),
        }
    }

    fn window(&self) -> i32 {
        match self {
            Criterion::MeetsRegularly { within_days, .. }
            | Criterion::SponsorsMetTheTeam { within_days }
            | Criterion::EachCoLeadRanAMeeting { within_days }
            | Criterion::MembersRanAMeeting { within_days }
            | Criterion::WorkDocumented { within_days }
            | Criterion::AllProjectsDocumented { within_days } => *within_days,
            _ => 0,
        }
    }

    /// Whether the team's record meets it.
    pub fn is_met(&self, team: &TeamFacts) -> bool {
        let since = |days: i32| team.today.saturating_sub(jiff::Span::new().days(days));
        let recent_meetings = |days: i32| team.meetings.iter().filter(move |m| m.held_on > since(days));
        let both_sides = |present: &dyn Fn(Side) -> bool| Side::REQUIRED.into_iter().all(present);
        match self {
            Criterion::SponsorsIdentified => both_sides(&|side| team.sponsors.iter().any(|l| l.side == side)),
            Criterion::CoLeadsIdentified => both_sides(&|side| team.co_leads.iter().any(|l| l.side == side)),
            Criterion::CoLeadsTrained { class } => all_trained(&team.co_leads, *class),
            Criterion::SponsorsTrained { class } => all_trained(&team.sponsors, *class),
            Criterion::CharterComplete => team.charter_complete,
            Criterion::MeetsRegularly { meetings, within_days } => {
                recent_meetings(*within_days).count() as u32 >= *meetings
            }
            Criterion::SponsorsMetTheTeam { within_days } => {
                both_sides(&|side| recent_meetings(*within_days).any(|m| m.sponsor_sides_present.contains(&side)))
            }
            Criterion::EachCoLeadRanAMeeting { within_days } => {
                both_sides(&|side| recent_meetings(*within_days).any(|m| m.run_by == MeetingLead::CoLead(side)))
            }
            Criterion::MembersRanAMeeting { within_days } => {
                recent_meetings(*within_days).any(|m| m.run_by == MeetingLead::Member)
            }
            Criterion::TestsOfChangeDone { at_least } => team.tests_of_change_done >= *at_least,
            Criterion::WorkDocumented { within_days } => team
                .projects
                .iter()
                .any(|p| p.last_documented.is_some_and(|d| d > since(*within_days))),
            Criterion::AllProjectsDocumented { within_days } => {
                let mut active = team.projects.iter().filter(|p| p.active).peekable();
                active.peek().is_some() && active.all(|p| p.last_documented.is_some_and(|d| d > since(*within_days)))
            }
            Criterion::SmartGoalSet => team.projects.iter().any(|p| p.has_smart_goal),
            Criterion::HealthAndSafetyChampion => team.health_and_safety_champion,
            Criterion::CompassCovered => CompassPoint::ALL.iter().all(|point| {
                team.projects
                    .iter()
                    .any(|p| p.has_smart_goal && p.compass.contains(point))
            }),
            Criterion::PracticeSpread => team.practices_spread > 0 || team.practices_adopted > 0,
        }
    }
}

fn all_trained(leaders: &[Leader], class: Class) -> bool {
    Side::REQUIRED
        .into_iter()
        .all(|side| leaders.iter().any(|l| l.side == side))
        && leaders
            .iter()
            .filter(|l| Side::REQUIRED.contains(&l.side))
            .all(|l| l.classes.contains(&class))
}

/// One criterion at one level of one dimension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    pub level: u8,
    pub dimension: Dimension,
    #[serde(flatten)]
    pub criterion: Criterion,
    /// Where the rule comes from: the public sources, or a default of ours
    /// where they are silent.
    #[serde(default)]
    pub source: String,
}

/// A partnership's Path to Performance criteria.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathRules {
    pub rules: Vec<Rule>,
}

const FROM_SOURCES: &str = "published criteria";
const OUR_DEFAULT: &str = "lmp default";

impl Default for PathRules {
    fn default() -> PathRules {
        use Criterion::*;
        use Dimension::*;
        let rule = |level, dimension, criterion, source: &str| Rule {
            level,
            dimension,
            criterion,
            source: source.into(),
        };
        PathRules {
            rules: vec![
                rule(1, Sponsorship, SponsorsIdentified, FROM_SOURCES),
                rule(1, Leadership, CoLeadsIdentified, FROM_SOURCES),
                rule(
                    1,
                    Training,
                    CoLeadsTrained {
                        class: Class::CoLeadWorkshop,
                    },
                    FROM_SOURCES,
                ),
                rule(
                    2,
                    Sponsorship,
                    SponsorsTrained {
                        class: Class::EffectiveStakeholding,
                    },
                    FROM_SOURCES,
                ),
                rule(2, Sponsorship, CharterComplete, FROM_SOURCES),
                rule(
                    2,
                    TeamProcess,
                    MeetsRegularly {
                        meetings: 3,
                        within_days: 90,
                    },
                    OUR_DEFAULT,
                ),
                rule(2, Performance, SmartGoalSet, OUR_DEFAULT),
                rule(3, Sponsorship, SponsorsMetTheTeam { within_days: 90 }, FROM_SOURCES),
                rule(3, Tools, TestsOfChangeDone { at_least: 2 }, FROM_SOURCES),
                rule(3, TeamProcess, WorkDocumented { within_days: 90 }, FROM_SOURCES),
                rule(4, Leadership, EachCoLeadRanAMeeting { within_days: 180 }, FROM_SOURCES),
                rule(4, Tools, TestsOfChangeDone { at_least: 3 }, FROM_SOURCES),
                rule(4, TeamProcess, AllProjectsDocumented { within_days: 90 }, FROM_SOURCES),
                rule(4, Engagement, HealthAndSafetyChampion, FROM_SOURCES),
                rule(5, Leadership, MembersRanAMeeting { within_days: 180 }, FROM_SOURCES),
                rule(5, Performance, CompassCovered, FROM_SOURCES),
                rule(5, Engagement, PracticeSpread, FROM_SOURCES),
            ],
        }
    }
}

impl PathRules {
    /// Check a rule set someone wrote: levels 1–5 and at least one rule.
    pub fn check(&self) -> Result<(), crate::Refusal> {
        use crate::refuse;
        if self.rules.is_empty() {
            return Err(refuse!(
                "a Path to Performance rule set needs at least one criterion",
                "un conjunto de reglas de la Ruta al Desempeño necesita al menos un criterio"
            ));
        }
        for (i, rule) in self.rules.iter().enumerate() {
            let (n, level) = (i + 1, rule.level);
            if !(1..=TOP_LEVEL).contains(&level) {
                return Err(refuse!(
                    "rule {n}: level {level} is not 1–5",
                    "regla {n}: el nivel {level} no está entre 1 y 5"
                ));
            }
            if rule.criterion.window() < 0 {
                return Err(refuse!(
                    "rule {n}: a number of days cannot be negative",
                    "regla {n}: un número de días no puede ser negativo"
                ));
            }
        }
        Ok(())
    }

    /// Where these rules ask for a class: each level, and whether of the
    /// co-leads or the sponsors, lowest level first.
    pub fn asking_for(&self, class: Class) -> Vec<(u8, BodyRole)> {
        let mut asks: Vec<(u8, BodyRole)> = self
            .rules
            .iter()
            .filter_map(|rule| match rule.criterion {
                Criterion::CoLeadsTrained { class: c } if c == class => Some((rule.level, BodyRole::CoLead)),
                Criterion::SponsorsTrained { class: c } if c == class => Some((rule.level, BodyRole::Sponsor)),
                _ => None,
            })
            .collect();
        asks.sort_unstable();
        asks.dedup();
        asks
    }

    /// How many days of meetings and documentation the rules look back at,
    /// so the store fetches no more than that.
    pub fn look_back_days(&self) -> i32 {
        self.rules.iter().map(|r| r.criterion.window()).max().unwrap_or(0)
    }

    /// Rate one team.
    pub fn rate(&self, team: &TeamFacts) -> Rating {
        let criteria: Vec<CriterionStatus> = self
            .rules
            .iter()
            .map(|rule| CriterionStatus {
                level: rule.level,
                dimension: rule.dimension,
                description: rule.criterion.describe(),
                criterion: rule.criterion.clone(),
                met: rule.criterion.is_met(team),
            })
            .collect();
        let reached = |filter: &dyn Fn(&CriterionStatus) -> bool| -> u8 {
            (1..=TOP_LEVEL)
                .take_while(|level| {
                    criteria
                        .iter()
                        .filter(|c| c.level == *level && filter(c))
                        .all(|c| c.met)
                })
                .last()
                .unwrap_or(0)
        };
        let level = reached(&|_| true);
        let dimensions = Dimension::ALL
            .iter()
            .map(|d| (*d, reached(&|c: &CriterionStatus| c.dimension == *d)))
            .collect();
        Rating {
            level,
            dimensions,
            criteria,
        }
    }
}

/// A co-lead or sponsor, with the classes they have completed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leader {
    pub side: Side,
    pub classes: Vec<Class>,
}

/// Who ran a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingLead {
    CoLead(Side),
    /// A team member who is not a co-lead.
    Member,
    Unrecorded,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingFact {
    pub held_on: Date,
    pub run_by: MeetingLead,
    /// The sides of the sponsors who attended.
    pub sponsor_sides_present: Vec<Side>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectFact {
    pub active: bool,
    pub has_smart_goal: bool,
    pub compass: Vec<CompassPoint>,
    /// The last day anything was recorded on it: a measurement, a test of
    /// change, a status change.
    pub last_documented: Option<Date>,
}

/// What the rules read of one team, as of `today`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamFacts {
    pub today: Date,
    pub co_leads: Vec<Leader>,
    pub sponsors: Vec<Leader>,
    pub charter_complete: bool,
    pub meetings: Vec<MeetingFact>,
    pub tests_of_change_done: u32,
    pub projects: Vec<ProjectFact>,
    pub health_and_safety_champion: bool,
    /// Other teams' adoptions of this team's projects.
    pub practices_spread: u32,
    /// This team's adoptions of other teams' projects.
    pub practices_adopted: u32,
}

impl TeamFacts {
    pub fn empty(today: Date) -> TeamFacts {
        TeamFacts {
            today,
            co_leads: Vec::new(),
            sponsors: Vec::new(),
            charter_complete: false,
            meetings: Vec::new(),
            tests_of_change_done: 0,
            projects: Vec::new(),
            health_and_safety_champion: false,
            practices_spread: 0,
            practices_adopted: 0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CriterionStatus {
    pub level: u8,
    pub dimension: Dimension,
    /// In English, for the API; pages read `criterion.describe_in`.
    pub description: String,
    #[serde(skip)]
    pub criterion: Criterion,
    pub met: bool,
}

/// A team's computed level, each dimension's level, and every criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rating {
    pub level: u8,
    pub dimensions: Vec<(Dimension, u8)>,
    pub criteria: Vec<CriterionStatus>,
}

impl Rating {
    /// The unmet criteria between the team and the next level.
    pub fn next_level_gaps(&self) -> Vec<&CriterionStatus> {
        self.criteria
            .iter()
            .filter(|c| c.level == self.level + 1 && !c.met)
            .collect()
    }

    pub fn name(&self) -> &'static str {
        level_name(self.level)
    }

    pub fn name_in(&self, language: Language) -> &'static str {
        level_name_in(self.level, language)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::improvement::CompassPoint::*;
    use jiff::civil::date;

    fn leader(side: Side, classes: &[Class]) -> Leader {
        Leader {
            side,
            classes: classes.to_vec(),
        }
    }

    fn meeting(days_ago: i64, run_by: MeetingLead, sponsors: &[Side]) -> MeetingFact {
        MeetingFact {
            held_on: date(2026, 6, 30).saturating_sub(jiff::Span::new().days(days_ago)),
            run_by,
            sponsor_sides_present: sponsors.to_vec(),
        }
    }

    fn project(compass: &[CompassPoint], days_ago: Option<i64>) -> ProjectFact {
        ProjectFact {
            active: true,
            has_smart_goal: true,
            compass: compass.to_vec(),
            last_documented: days_ago.map(|d| date(2026, 6, 30).saturating_sub(jiff::Span::new().days(d))),
        }
    }

    /// A team that meets every default criterion.
    fn high_performing() -> TeamFacts {
        use Side::*;
        let both = [Class::CoLeadWorkshop, Class::EffectiveStakeholding];
        TeamFacts {
            today: date(2026, 6, 30),
            co_leads: vec![leader(Labor, &both), leader(Management, &both)],
            sponsors: vec![leader(Labor, &both), leader(Management, &both)],
            charter_complete: true,
            meetings: vec![
                meeting(10, MeetingLead::CoLead(Labor), &[Labor]),
                meeting(40, MeetingLead::CoLead(Management), &[Management]),
                meeting(70, MeetingLead::Member, &[]),
            ],
            tests_of_change_done: 4,
            projects: vec![
                project(&[BestQuality, BestService], Some(5)),
                project(&[MostAffordable, BestPlaceToWork], Some(30)),
            ],
            health_and_safety_champion: true,
            practices_spread: 1,
            practices_adopted: 0,
        }
    }

    #[test]
    fn the_rules_say_where_they_ask_for_each_class() {
        let rules = PathRules::default();
        assert_eq!(rules.asking_for(Class::CoLeadWorkshop), vec![(1, BodyRole::CoLead)]);
        assert_eq!(
            rules.asking_for(Class::EffectiveStakeholding),
            vec![(2, BodyRole::Sponsor)]
        );
        assert!(rules.asking_for(Class::CorrectiveAction).is_empty());
    }

    #[test]
    fn a_team_meeting_everything_is_high_performing() {
        let rating = PathRules::default().rate(&high_performing());
        assert_eq!(rating.level, 5);
        assert_eq!(rating.name(), "High-Performing");
        assert!(rating.next_level_gaps().is_empty());
        assert!(rating.dimensions.iter().all(|(_, level)| *level == 5));
    }

    #[test]
    fn an_empty_team_is_not_yet_at_level_one_and_is_told_why() {
        let rating = PathRules::default().rate(&TeamFacts::empty(date(2026, 6, 30)));
        assert_eq!(rating.level, 0);
        let gaps: Vec<_> = rating.next_level_gaps().iter().map(|c| c.description.clone()).collect();
        assert_eq!(
            gaps,
            vec![
                "a labor and a management sponsor",
                "a labor and a management co-lead",
                "every co-lead has completed UBT Co-Lead Workshop",
            ]
        );
    }

    #[test]
    fn a_level_needs_every_lower_level_too() {
        let mut team = high_performing();
        team.charter_complete = false; // a level-2 criterion
        let rating = PathRules::default().rate(&team);
        assert_eq!(rating.level, 1);
        let sponsorship = rating.dimensions.iter().find(|(d, _)| *d == Dimension::Sponsorship);
        assert_eq!(sponsorship, Some(&(Dimension::Sponsorship, 1)));
        let leadership = rating.dimensions.iter().find(|(d, _)| *d == Dimension::Leadership);
        assert_eq!(leadership, Some(&(Dimension::Leadership, 5)));
        assert_eq!(
            rating.next_level_gaps()[0].description,
            "every section of the charter written"
        );
    }

    #[test]
    fn each_default_criterion_is_the_one_that_holds_a_team_back() {
        let rules = PathRules::default();
        type Spoil = Box<dyn Fn(&mut TeamFacts)>;
        let cases: Vec<(u8, Spoil)> = vec![
            (0, Box::new(|t| t.sponsors.retain(|l| l.side != Side::Labor))),
            (0, Box::new(|t| t.co_leads.retain(|l| l.side != Side::Management))),
            (0, Box::new(|t| t.co_leads[0].classes.clear())),
            (
                1,
                Box::new(|t| t.sponsors[1].classes.retain(|c| *c != Class::EffectiveStakeholding)),
            ),
            (1, Box::new(|t| t.meetings.truncate(2))),
            (
                1,
                Box::new(|t| t.projects.iter_mut().for_each(|p| p.has_smart_goal = false)),
            ),
            (
                2,
                Box::new(|t| t.meetings.iter_mut().for_each(|m| m.sponsor_sides_present.clear())),
            ),
            (2, Box::new(|t| t.tests_of_change_done = 1)),
            (
                2,
                Box::new(|t| t.projects.iter_mut().for_each(|p| p.last_documented = None)),
            ),
            (3, Box::new(|t| t.tests_of_change_done = 2)),
            (3, Box::new(|t| t.projects[1].last_documented = Some(date(2026, 1, 1)))),
            (3, Box::new(|t| t.health_and_safety_champion = false)),
            (3, Box::new(|t| t.meetings[1].run_by = MeetingLead::Unrecorded)),
            (4, Box::new(|t| t.meetings[2].run_by = MeetingLead::Unrecorded)),
            (4, Box::new(|t| t.projects[1].compass = vec![MostAffordable])),
            (4, Box::new(|t| t.practices_spread = 0)),
        ];
        for (i, (expected, spoil)) in cases.iter().enumerate() {
            let mut team = high_performing();
            spoil(&mut team);
            assert_eq!(rules.rate(&team).level, *expected, "case {i}");
        }
        let mut adopted_instead = high_performing();
        adopted_instead.practices_spread = 0;
        adopted_instead.practices_adopted = 2;
        assert_eq!(rules.rate(&adopted_instead).level, 5);
    }

    #[test]
    fn old_meetings_fall_out_of_the_window() {
        let mut team = high_performing();
        for m in &mut team.meetings {
            m.held_on = date(2025, 1, 1);
        }
        assert_eq!(PathRules::default().rate(&team).level, 1);
    }

    #[test]
    fn rules_are_data_that_round_trip_and_are_checked() {
        let rules = PathRules::default();
        let json = serde_json::to_string(&rules).expect("serialises");
        assert!(
            json.contains(r#""criterion":"tests_of_change_done","at_least":2"#),
            "{json}"
        );
        let back: PathRules = serde_json::from_str(&json).expect("parses");
        assert_eq!(back, rules);
        assert_eq!(rules.look_back_days(), 180);
        let bad = PathRules {
            rules: vec![Rule {
                level: 6,
                ..rules.rules[0].clone()
            }],
        };
        assert!(bad.check().unwrap_err().contains("not 1–5"));
        assert!(PathRules { rules: vec![] }.check().is_err());
    }
}
