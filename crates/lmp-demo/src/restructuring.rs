//! A restructuring as it arrives from HR: the displaced workers and the open
//! vacancies, with the qualification structure of a hospital system — job
//! classes in families, class licences, certifications some posts require,
//! and retraining paths within a family. Displacement is concentrated: a few
//! events (a unit closed, a lab consolidated, clerical work automated) send
//! many workers of a few classes and one region into the pool at once, so
//! they compete for the same jobs. A larger system has more job codes: each
//! class comes in grades (one per 4,000 vacancies), a post asks for its
//! grade, and retraining reaches a grade from the grade next to it or from
//! the same grade of a related class — so a worker qualifies for tens to
//! hundreds of posts at any size. The same seed gives the same files.
//!
//! `lmp eis sample` writes it as `W.csv` and `V.csv`; the benchmarks and the
//! demo's restructuring use it.

use super::Rng;
use lmp_core::eis::pool::{Fte, VacancyRow, WorkerRow};

/// A job class: its licence (every post needs it), the certifications a
/// post may also ask for, the classes retrained into it, and how common it is.
struct JobClass {
    code: &'static str,
    licence: Option<&'static str>,
    certifications: &'static [&'static str],
    retrain_from: &'static [&'static str],
    weight: u32,
}

const fn class(
    code: &'static str,
    licence: Option<&'static str>,
    certifications: &'static [&'static str],
    retrain_from: &'static [&'static str],
    weight: u32,
) -> JobClass {
    JobClass {
        code,
        licence,
        certifications,
        retrain_from,
        weight,
    }
}

const RN: Option<&str> = Some("RN-CA");
const LVN: Option<&str> = Some("LVN-CA");
const NURSE_CERTS: &[&str] = &["BLS", "ACLS", "PALS", "NRP", "CCRN", "TNCC"];

const CLASSES: &[JobClass] = &[
    class("RN-MEDSURG", RN, NURSE_CERTS, &["RN-TELE", "RN-ORTHO", "RN-ONC"], 14),
    class("RN-TELE", RN, NURSE_CERTS, &["RN-MEDSURG", "RN-STEPDOWN"], 8),
    class("RN-STEPDOWN", RN, NURSE_CERTS, &["RN-TELE", "RN-ICU"], 5),
    class("RN-ICU", RN, NURSE_CERTS, &["RN-STEPDOWN", "RN-PACU"], 7),
    class("RN-ED", RN, NURSE_CERTS, &["RN-ICU", "RN-MEDSURG"], 7),
    class("RN-OR", RN, NURSE_CERTS, &["RN-PACU"], 5),
    class("RN-PACU", RN, NURSE_CERTS, &["RN-OR", "RN-ICU"], 3),
    class("RN-LD", RN, NURSE_CERTS, &["RN-POSTPARTUM"], 4),
    class("RN-POSTPARTUM", RN, NURSE_CERTS, &["RN-LD", "RN-MEDSURG"], 3),
    class("RN-NICU", RN, NURSE_CERTS, &["RN-PEDS", "RN-LD"], 3),
    class("RN-PEDS", RN, NURSE_CERTS, &["RN-NICU", "RN-MEDSURG"], 3),
    class("RN-ONC", RN, NURSE_CERTS, &["RN-MEDSURG", "RN-INFUSION"], 3),
    class("RN-INFUSION", RN, NURSE_CERTS, &["RN-ONC", "RN-CLINIC"], 2),
    class("RN-ORTHO", RN, NURSE_CERTS, &["RN-MEDSURG"], 2),
    class("RN-PSYCH", RN, NURSE_CERTS, &["RN-MEDSURG"], 2),
    class("RN-CLINIC", RN, NURSE_CERTS, &["RN-MEDSURG", "RN-ADVICE"], 6),
    class("RN-ADVICE", RN, NURSE_CERTS, &["RN-CLINIC"], 3),
    class("RN-CASE-MGMT", RN, NURSE_CERTS, &["RN-CLINIC", "RN-MEDSURG"], 3),
    class("LVN", LVN, &["BLS", "IV-CERT"], &["CNA", "MA"], 7),
    class("CNA", Some("CNA-CA"), &["BLS"], &["NURSING-ASST"], 8),
    class("NURSING-ASST", None, &["BLS"], &["UNIT-ASST"], 3),
    class("MA", None, &["BLS", "PHLEB-CERT"], &["UNIT-CLERK", "CNA"], 9),
    class("UNIT-CLERK", None, &[], &["UNIT-ASST", "SCHEDULER", "MA"], 6),
    class("UNIT-ASST", None, &[], &["UNIT-CLERK"], 3),
    class("SCHEDULER", None, &[], &["UNIT-CLERK", "REGISTRAR"], 5),
    class("REGISTRAR", None, &[], &["SCHEDULER", "CALL-CENTER"], 4),
    class("CALL-CENTER", None, &[], &["REGISTRAR", "SCHEDULER"], 5),
    class("MED-RECORDS", None, &["RHIT"], &["REGISTRAR"], 3),
    class("CODER", None, &["CPC", "CCS"], &["MED-RECORDS"], 2),
    class("LAB-ASST", None, &[], &["PHLEBOTOMIST"], 3),
    class("PHLEBOTOMIST", Some("CPT-1"), &[], &["LAB-ASST", "MA"], 4),
    class("CLS", Some("CLS-CA"), &["MICRO", "BLOOD-BANK"], &["MLT"], 3),
    class("MLT", Some("MLT-CA"), &[], &["LAB-ASST"], 2),
    class("PHARM-TECH", Some("PTCB"), &["IV-CERT"], &["PHARM-ASST"], 3),
    class("PHARM-ASST", None, &[], &["PHARM-TECH"], 2),
    class("RAD-TECH", Some("CRT"), &["FLUORO", "MAMMO"], &["CT-TECH"], 3),
    class("CT-TECH", Some("CRT"), &["ARRT-CT"], &["RAD-TECH"], 2),
    class("MRI-TECH", Some("ARRT-MR"), &[], &["CT-TECH", "RAD-TECH"], 1),
    class("SONOGRAPHER", Some("RDMS"), &["RVT"], &[], 2),
    class("RESP-THERAPIST", Some("RCP"), &["NRP", "ACLS"], &[], 3),
    class("PHYS-THERAPIST", Some("PT-CA"), &[], &[], 2),
    class("OCC-THERAPIST", Some("OT-CA"), &[], &[], 1),
    class("SURG-TECH", Some("CST"), &[], &["STERILE-PROC"], 2),
    class("STERILE-PROC", None, &["CRCST"], &["SURG-TECH", "EVS"], 2),
    class("EVS", None, &[], &["FOOD-SERVICE", "TRANSPORT"], 6),
    class("FOOD-SERVICE", None, &["SERVSAFE"], &["EVS"], 4),
    class("TRANSPORT", None, &[], &["EVS"], 3),
    class("SECURITY", Some("GUARD-CARD"), &[], &[], 2),
];

const REGIONS: &[&str] = &[
    "NCAL-NORTH",
    "NCAL-EAST",
    "NCAL-SOUTH",
    "SCAL-NORTH",
    "SCAL-WEST",
    "SCAL-EAST",
    "NORTHWEST",
];
const SHIFTS: &[&str] = &["day", "day", "evening", "night"];
const FTES: &[&str] = &["1.0", "1.0", "0.9", "0.8", "0.6", "0.5"];
const BANDS_PER_CLASS: usize = 3;

/// The classes each displacement event hits: a medical-surgical unit
/// closed, a regional lab consolidated, clerical work automated.
const EVENTS: [&[&str]; 3] = [
    &["RN-MEDSURG", "RN-TELE", "RN-STEPDOWN", "RN-ORTHO", "CNA"],
    &["LAB-ASST", "PHLEBOTOMIST", "CLS", "MLT"],
    &["UNIT-CLERK", "UNIT-ASST", "SCHEDULER", "REGISTRAR", "CALL-CENTER"],
];

/// A displacement event: the classes it hits and its region.
struct Event {
    classes: Vec<usize>,
    region: usize,
}

/// Vacancies per grade of each class.
const VACANCIES_PER_GRADE: usize = 4_000;

/// A restructuring of `workers` displaced workers and `vacancies` open
/// posts, from `seed`.
pub struct Restructuring {
    rng: Rng,
    total_weight: u32,
    grades: usize,
    events: Vec<Event>,
}

impl Restructuring {
    /// `vacancies` sets how many grades each class has.
    pub fn new(seed: u64, vacancies: usize) -> Restructuring {
        let mut rng = Rng(seed);
        let grades = vacancies.div_ceil(VACANCIES_PER_GRADE).max(1);
        let events = EVENTS
            .iter()
            .map(|codes| Event {
                classes: codes
                    .iter()
                    .filter_map(|code| CLASSES.iter().position(|c| c.code == *code))
                    .collect(),
                region: rng.below(REGIONS.len()),
            })
            .collect();
        Restructuring {
            rng,
            total_weight: CLASSES.iter().map(|c| c.weight).sum(),
            grades,
            events,
        }
    }

    fn class(&mut self) -> usize {
        let mut at = self.rng.below(self.total_weight as usize) as u32;
        for (i, class) in CLASSES.iter().enumerate() {
            if at < class.weight {
                return i;
            }
            at -= class.weight;
        }
        CLASSES.len() - 1
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.rng.below(100) < percent
    }

    fn band(&mut self, class: &str) -> String {
        format!("{class}-B{}", 1 + self.rng.below(BANDS_PER_CLASS))
    }

    /// A class's code at a grade; with one grade, the class's own code.
    fn graded(&self, code: &str, grade: usize) -> String {
        if self.grades == 1 {
            code.to_string()
        } else {
            format!("{code}-{}", grade + 1)
        }
    }

    fn fte(&mut self) -> Fte {
        Fte::parse(self.rng.pick(FTES)).unwrap_or_else(|_| unreachable!("FTES are valid"))
    }

    /// Worker number `n`: four in ten come from the events, the rest from
    /// across the system.
    pub fn worker(&mut self, n: usize) -> WorkerRow {
        let (class, grade, region) = if self.chance(40) {
            let event = &self.events[self.rng.below(self.events.len())];
            let region = event.region;
            let class = event.classes[self.rng.below(event.classes.len())];
            (class, self.rng.below(self.grades), region)
        } else {
            (self.class(), self.rng.below(self.grades), self.rng.below(REGIONS.len()))
        };
        let job = &CLASSES[class];
        let job_class = self.graded(job.code, grade);
        let mut licences: Vec<String> = job.licence.iter().map(|l| l.to_string()).collect();
        for cert in job.certifications {
            if self.chance(60) {
                licences.push(cert.to_string());
            }
        }
        licences.sort();
        let year = 1985 + self.rng.below(40) as i16;
        let day = 1 + self.rng.below(28) as i8;
        let month = 1 + self.rng.below(12) as i8;
        WorkerRow {
            worker_id: format!("E{:07}", 1_000_000 + n),
            licences,
            fte: self.fte(),
            shift: self.rng.pick(SHIFTS).to_string(),
            pay_band: self.band(&job_class),
            job_class,
            region: REGIONS[region].to_string(),
            seniority_date: jiff::civil::date(year, month, day),
        }
    }

    /// Vacancy number `n`: a post of a class in proportion to how common it
    /// is, asking for up to two of the class's certifications.
    pub fn vacancy(&mut self, n: usize) -> VacancyRow {
        let job = &CLASSES[self.class()];
        let grade = self.rng.below(self.grades);
        let job_class = self.graded(job.code, grade);
        let mut required: Vec<String> = job.licence.iter().map(|l| l.to_string()).collect();
        if !job.certifications.is_empty() {
            for _ in 0..self.rng.below(3) {
                required.push(self.rng.pick(job.certifications).to_string());
            }
        }
        required.sort();
        required.dedup();
        // Not every post can be reached by retraining within the allowed period.
        let retrain_from = if self.chance(70) {
            let mut from: Vec<String> = job.retrain_from.iter().map(|c| self.graded(c, grade)).collect();
            if grade > 0 {
                from.push(self.graded(job.code, grade - 1));
            }
            from
        } else {
            Vec::new()
        };
        VacancyRow {
            vacancy_id: format!("REQ-{:07}", n + 1),
            required_licences: required,
            fte: self.fte(),
            shift: self.rng.pick(SHIFTS).to_string(),
            pay_band: self.band(&job_class),
            job_class,
            region: REGIONS[self.rng.below(REGIONS.len())].to_string(),
            retrain_from,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_restructuring() {
        let mut a = Restructuring::new(7, 9_000);
        let mut b = Restructuring::new(7, 9_000);
        for n in 0..100 {
            assert_eq!(a.worker(n), b.worker(n));
            assert_eq!(a.vacancy(n), b.vacancy(n));
        }
    }

    #[test]
    fn retraining_paths_and_events_name_real_classes() {
        let named = CLASSES
            .iter()
            .flat_map(|c| c.retrain_from.iter())
            .chain(EVENTS.iter().copied().flatten());
        for code in named {
            assert!(CLASSES.iter().any(|c| c.code == *code), "{code}");
        }
    }
}
