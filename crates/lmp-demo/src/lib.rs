//! A deterministic demo partnership at the scale of the source texts, plus a
//! small second partnership that proves tenants are walled off.
//!
//! The structure and people go in through the same import path as an HR
//! file would; bodies, seats and standing roles are written in bulk.

use lmp_core::body::{BodyLevel, BodyRole};
use lmp_core::import::{Columns, ORG_COLUMNS, PEOPLE_COLUMNS};
use lmp_core::policy::{Action, Permit, UserRole};
use lmp_core::Side;
use lmp_store::audit::{AuditAppend, Change};
use lmp_store::bulk::{BulkInsert, Value};
use lmp_store::{in_tx, Result, Store, StoreError};
use std::collections::HashMap;

mod decisions;
mod eis;
mod governance;
pub mod outcomes;
pub mod payroll;
pub mod restructuring;
pub mod staffing;
mod teams;
mod training;

/// How big a demo to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// The real scale: 134,000 members, ~20,000 managers, ~12,000 physicians,
    /// 39 hospitals, ~3,600 unit-based teams.
    Full,
    /// A few hundred people, for tests and a quick look.
    Small,
}

/// The shape of one demo partnership.
#[derive(Debug, Clone)]
struct Shape {
    slug: &'static str,
    name: &'static str,
    employer: &'static str,
    coalition: &'static str,
    /// Where the partnership's clocks are: its pages show times there.
    time_zone: &'static str,
    internationals: &'static [&'static str],
    locals: usize,
    /// (code, name, hospitals, medical offices)
    regions: &'static [(&'static str, &'static str, usize, usize)],
    departments_per_hospital: usize,
    departments_per_office: usize,
    union_members: usize,
    managers: usize,
    physicians: usize,
    /// Teams in each hospital department; medical-office departments get one
    /// team each in `office_teams_in_seven` of every seven departments.
    teams_per_hospital_department: usize,
    office_teams_in_seven: usize,
    /// (username, role, person to link: "member", "manager", "steward" or "").
    users: &'static [(&'static str, UserRole, &'static str)],
}

const MAIN_INTERNATIONALS: &[&str] = &[
    "United Health Care Workers International",
    "Federation of Nurses and Health Professionals",
    "Allied Technical Employees International",
    "Office and Professional Employees Union",
    "Environmental and Food Service Workers Union",
    "Pharmacy, Laboratory and Imaging Workers",
];

const MAIN_USERS: &[(&str, UserRole, &str)] = &[
    ("admin", UserRole::PartnershipAdmin, ""),
    ("labor", UserRole::LaborRepresentative, "steward"),
    ("manager", UserRole::Manager, "manager"),
    ("member", UserRole::Member, "member"),
    ("analyst", UserRole::Analyst, ""),
];

fn main_shape(scale: Scale) -> Shape {
    let full = Shape {
        slug: "cascadia",
        time_zone: "America/Los_Angeles",
        name: "Cascadia Health Labor-Management Partnership",
        employer: "Cascadia Health",
        coalition: "Coalition of Cascadia Health Unions",
        internationals: MAIN_INTERNATIONALS,
        locals: 35,
        regions: &[
            ("R-NCAL", "Northern California", 19, 95),
            ("R-SCAL", "Southern California", 14, 70),
            ("R-NW", "Northwest", 2, 15),
            ("R-CO", "Colorado", 1, 10),
            ("R-OH", "Ohio", 1, 6),
            ("R-GA", "Georgia", 1, 6),
            ("R-MAS", "Mid-Atlantic States", 1, 8),
        ],
        departments_per_hospital: 40,
        departments_per_office: 4,
        union_members: 134_000,
        managers: 20_000,
        physicians: 12_000,
        teams_per_hospital_department: 2,
        office_teams_in_seven: 4,
        users: MAIN_USERS,
    };
    match scale {
        // 1,560 hospital departments × 2 + 840 office departments × 4/7 = 3,600.
        Scale::Full => full,
        Scale::Small => Shape {
            locals: 4,
            internationals: &MAIN_INTERNATIONALS[..2],
            regions: &[
                ("R-NCAL", "Northern California", 2, 2),
                ("R-SCAL", "Southern California", 1, 1),
            ],
            departments_per_hospital: 4,
            departments_per_office: 2,
            union_members: 300,
            managers: 40,
            physicians: 20,
            teams_per_hospital_department: 1,
            office_teams_in_seven: 7,
            ..full
        },
    }
}

fn other_shape() -> Shape {
    Shape {
        slug: "riverbend",
        time_zone: "America/Chicago",
        name: "Riverbend Medical Center Partnership",
        employer: "Riverbend Medical Center",
        coalition: "Riverbend Health Workers Alliance",
        internationals: &["Riverbend Health Workers Alliance"],
        locals: 2,
        regions: &[("RB-VALLEY", "River Valley", 1, 1)],
        departments_per_hospital: 3,
        departments_per_office: 1,
        union_members: 60,
        managers: 8,
        physicians: 4,
        teams_per_hospital_department: 1,
        office_teams_in_seven: 7,
        users: &[("other-admin", UserRole::PartnershipAdmin, "")],
    }
}

/// What a demo load did.
#[derive(Debug, Clone, Default)]
pub struct DemoReport {
    /// (partnership slug, already there before this load)
    pub partnerships: Vec<(String, bool)>,
    pub people: u64,
    pub bodies: u64,
    pub seats: u64,
}

/// SplitMix64: small, fast, and the same numbers on every machine.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub(crate) fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const FIRST_NAMES: &[&str] = &[
    "Maria", "James", "Aisha", "Wei", "Carlos", "Fatima", "David", "Priya", "Kwame", "Elena", "Mohammed", "Grace",
    "Luis", "Mei", "Samuel", "Ana", "Hiroshi", "Olivia", "Tariq", "Rosa", "Daniel", "Ngozi", "Kevin", "Leila",
    "Marcus", "Sofia", "Andre", "Yuki", "Jamal", "Linh", "Patrick", "Amara", "Jose", "Hannah", "Rahul", "Chloe",
    "Emeka", "Isabel", "Tom", "Zainab", "Miguel", "Esther", "Dmitri", "Nadia", "Victor", "Keisha", "Arjun", "Lucia",
    "Omar", "Ruth",
];

const LAST_NAMES: &[&str] = &[
    "Garcia",
    "Nguyen",
    "Smith",
    "Okafor",
    "Chen",
    "Rodriguez",
    "Johnson",
    "Patel",
    "Kim",
    "Hernandez",
    "Williams",
    "Ali",
    "Martinez",
    "Tanaka",
    "Brown",
    "Lopez",
    "Mensah",
    "Davis",
    "Singh",
    "Gonzalez",
    "Wilson",
    "Haddad",
    "Lee",
    "Perez",
    "Anderson",
    "Ivanova",
    "Thomas",
    "Reyes",
    "Jackson",
    "Cohen",
    "White",
    "Flores",
    "Harris",
    "Kowalski",
    "Martin",
    "Rivera",
    "Thompson",
    "Adeyemi",
    "Moore",
    "Ramirez",
    "Clark",
    "Sato",
    "Lewis",
    "Torres",
    "Walker",
    "Morales",
    "Young",
    "Hassan",
    "King",
    "Ortiz",
];

const HOSPITAL_DEPARTMENTS: &[(&str, &str)] = &[
    ("Emergency Department", "RN"),
    ("Intensive Care Unit", "RN"),
    ("Medical/Surgical 3 West", "RN"),
    ("Medical/Surgical 4 East", "RN"),
    ("Telemetry", "RN"),
    ("Step-Down Unit", "RN"),
    ("Labor and Delivery", "RN"),
    ("Postpartum", "RN"),
    ("Neonatal ICU", "RN"),
    ("Pediatrics", "RN"),
    ("Operating Room", "Surgical Technologist"),
    ("Post-Anesthesia Care", "RN"),
    ("Psychiatry", "Psychiatric Technician"),
    ("Oncology", "RN"),
    ("Cardiology", "Cardiovascular Technician"),
    ("Radiology", "Radiologic Technologist"),
    ("Laboratory", "Clinical Laboratory Scientist"),
    ("Pharmacy", "Pharmacy Technician"),
    ("Respiratory Therapy", "Respiratory Therapist"),
    ("Physical Therapy", "Physical Therapist"),
    ("Environmental Services", "EVS Aide"),
    ("Food and Nutrition", "Food Service Worker"),
    ("Patient Transport", "Transporter"),
    ("Admitting", "Admitting Clerk"),
    ("Health Information", "Coder"),
    ("Sterile Processing", "Sterile Processing Technician"),
    ("Facilities Engineering", "Stationary Engineer"),
    ("Security", "Security Officer"),
    ("Case Management", "Social Worker"),
    ("Dialysis", "Dialysis Technician"),
    ("Endoscopy", "RN"),
    ("Ambulatory Surgery", "RN"),
    ("Wound Care", "LVN"),
    ("Infusion Center", "LVN"),
    ("Rehabilitation", "Occupational Therapist"),
    ("Nutrition Services", "Dietitian"),
    ("Patient Access", "Patient Access Representative"),
    ("Supply Chain", "Materials Handler"),
    ("Interpreter Services", "Interpreter"),
    ("Clinical Education", "Clinical Educator"),
];

const OFFICE_DEPARTMENTS: &[(&str, &str)] = &[
    ("Primary Care", "Medical Assistant"),
    ("Pharmacy", "Pharmacy Technician"),
    ("Laboratory", "Phlebotomist"),
    ("Radiology", "Radiologic Technologist"),
    ("Pediatrics", "LVN"),
    ("Optometry", "Optometric Technician"),
];

const CITIES: &[&str] = &[
    "Oakland",
    "Richmond",
    "San Francisco",
    "South San Francisco",
    "Redwood City",
    "San Jose",
    "Santa Clara",
    "Fremont",
    "Hayward",
    "Walnut Creek",
    "Antioch",
    "Vallejo",
    "Vacaville",
    "Sacramento",
    "Roseville",
    "South Sacramento",
    "Fresno",
    "Modesto",
    "Manteca",
    "Santa Rosa",
    "San Rafael",
    "Los Angeles",
    "West Los Angeles",
    "Baldwin Park",
    "Downey",
    "Fontana",
    "Ontario",
    "Riverside",
    "Irvine",
    "Anaheim",
    "San Diego",
    "Panorama City",
    "Woodland Hills",
    "South Bay",
    "Moreno Valley",
    "Portland",
    "Salem",
    "Denver",
    "Cleveland",
    "Atlanta",
    "Rockville",
    "Largo",
    "Tysons",
    "Aurora",
    "Vancouver",
    "Beaverton",
    "Gresham",
    "Bakersfield",
    "Stockton",
    "Petaluma",
];

/// Everything generated for one partnership, as the import files would hold it.
struct Generated {
    org: Vec<[String; 4]>,
    people: Vec<[String; 6]>,
    bodies: Vec<GeneratedBody>,
    /// (employee_no, unit code, partner employee_no) for stewards and Labor Partners.
    stewards: Vec<(String, String)>,
    labor_partners: Vec<(String, String, String)>,
    /// username → employee_no to link.
    user_people: HashMap<&'static str, String>,
}

struct GeneratedBody {
    code: String,
    level: BodyLevel,
    name: String,
    unit_code: Option<String>,
    parent_code: Option<String>,
    /// (employee_no, role, side)
    seats: Vec<(String, BodyRole, Side)>,
}

/// People of one department, by kind, as employee numbers.
#[derive(Default)]
struct Staff {
    members: Vec<String>,
    managers: Vec<String>,
    physicians: Vec<String>,
}

fn generate(shape: &Shape, seed: u64) -> Generated {
    let mut rng = Rng(seed);
    let mut org: Vec<[String; 4]> = Vec::new();
    let prefix = shape.slug[..2].to_uppercase();
    // The unions' structure.
    let mut local_codes = Vec::new();
    for (i, name) in shape.internationals.iter().enumerate() {
        org.push([
            format!("{prefix}-INT-{}", i + 1),
            "international".into(),
            name.to_string(),
            String::new(),
        ]);
    }
    for i in 0..shape.locals {
        let international = i % shape.internationals.len();
        let number = 20 + i * 17 % 980;
        let code = format!("{prefix}-L{number}");
        let short: String = shape.internationals[international]
            .split_whitespace()
            .filter_map(|w| w.chars().next().filter(|c| c.is_uppercase()))
            .collect();
        org.push([
            code.clone(),
            "local".into(),
            format!("{short} Local {number}"),
            format!("{prefix}-INT-{}", international + 1),
        ]);
        local_codes.push(code);
    }
    // The employer's structure.
    let mut facilities: Vec<(String, String, bool, String)> = Vec::new(); // (code, name, hospital, region code)
    let mut city = 0;
    for (region_code, region_name, hospitals, offices) in shape.regions {
        org.push([
            region_code.to_string(),
            "region".into(),
            region_name.to_string(),
            String::new(),
        ]);
        for h in 0..*hospitals {
            let code = format!("{prefix}-H{:03}", facilities.len() + 1);
            let name = format!("{} Medical Center", CITIES[city % CITIES.len()]);
            city += 1;
            org.push([code.clone(), "hospital".into(), name.clone(), region_code.to_string()]);
            facilities.push((code, name, true, region_code.to_string()));
            let _ = h;
        }
        for o in 0..*offices {
            let code = format!("{prefix}-MO{:03}", facilities.len() + 1);
            let name = format!(
                "{} Medical Offices {}",
                CITIES[(city + o) % CITIES.len()],
                o / CITIES.len() + 1
            );
            org.push([
                code.clone(),
                "medical_office".into(),
                name.clone(),
                region_code.to_string(),
            ]);
            facilities.push((code, name, false, region_code.to_string()));
        }
        city += 3;
    }
    // Departments, with a weight for how many people each has.
    let mut departments: Vec<(String, String, usize, &'static str, usize)> = Vec::new(); // (code, name, facility idx, job, weight)
    for (f, (facility_code, facility_name, hospital, _)) in facilities.iter().enumerate() {
        let (list, count, weight) = if *hospital {
            (HOSPITAL_DEPARTMENTS, shape.departments_per_hospital, 3)
        } else {
            (OFFICE_DEPARTMENTS, shape.departments_per_office, 1)
        };
        for (d, (dept, job)) in list.iter().take(count).enumerate() {
            let code = format!("{facility_code}-D{:02}", d + 1);
            org.push([
                code.clone(),
                "department".into(),
                format!("{dept}, {facility_name}"),
                facility_code.clone(),
            ]);
            departments.push((code, dept.to_string(), f, job, weight));
        }
    }
    // People, spread over departments by weight; each department draws its
    // members from three locals.
    let total_weight: usize = departments.iter().map(|d| d.4).sum();
    let mut staff: Vec<Staff> = departments.iter().map(|_| Staff::default()).collect();
    let mut people: Vec<[String; 6]> = Vec::with_capacity(shape.union_members + shape.managers + shape.physicians);
    let mut next_no = 1usize;
    let name = |rng: &mut Rng| format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES));
    let mut assigned = 0;
    for (d, dept) in departments.iter().enumerate() {
        let share = if d + 1 == departments.len() {
            shape.union_members - assigned
        } else {
            shape.union_members * dept.4 / total_weight
        };
        assigned += share;
        for i in 0..share {
            let local = &local_codes[(d * 7 + i % 3 + rng.below(2)) % local_codes.len()];
            let no = format!("{prefix}{next_no:07}");
            next_no += 1;
            people.push([
                no.clone(),
                name(&mut rng),
                "union_member".into(),
                local.clone(),
                dept.0.clone(),
                dept.3.to_string(),
            ]);
            staff[d].members.push(no);
        }
    }
    for i in 0..shape.managers {
        let d = i % departments.len();
        let no = format!("{prefix}{next_no:07}");
        next_no += 1;
        let title = if i < departments.len() {
            format!("{} Manager", departments[d].1)
        } else {
            "Assistant Manager".into()
        };
        people.push([
            no.clone(),
            name(&mut rng),
            "manager".into(),
            String::new(),
            departments[d].0.clone(),
            title,
        ]);
        staff[d].managers.push(no);
    }
    for i in 0..shape.physicians {
        let d = (i * 3) % departments.len();
        let no = format!("{prefix}{next_no:07}");
        next_no += 1;
        people.push([
            no.clone(),
            format!("Dr. {}", name(&mut rng)),
            "physician".into(),
            String::new(),
            departments[d].0.clone(),
            "Physician".into(),
        ]);
        staff[d].physicians.push(no);
    }

    let mut bodies = Vec::new();
    let mut stewards = Vec::new();
    let mut labor_partners = Vec::new();
    // Stewards: one per 40 members of a department, serving its facility.
    for (d, dept) in departments.iter().enumerate() {
        for no in staff[d].members.iter().step_by(40) {
            stewards.push((no.clone(), facilities[dept.2].0.clone()));
        }
    }
    let first = |list: &Vec<String>, n: usize| list.get(n % list.len().max(1)).cloned();
    // Teams, department partnerships and the facility each sits in.
    let mut facility_departments: Vec<Vec<usize>> = vec![Vec::new(); facilities.len()];
    let mut team_index = 0usize;
    for (d, dept) in departments.iter().enumerate() {
        facility_departments[dept.2].push(d);
        let hospital = facilities[dept.2].2;
        let teams = if hospital {
            shape.teams_per_hospital_department
        } else {
            usize::from(d % 7 < shape.office_teams_in_seven)
        };
        let s = &staff[d];
        if hospital {
            // Department partnership: a supervisor and a union steward.
            let mut seats = Vec::new();
            if let Some(no) = first(&s.members, 0) {
                seats.push((no, BodyRole::CoLead, Side::Labor));
            }
            if let Some(no) = first(&s.managers, 0) {
                seats.push((no, BodyRole::CoLead, Side::Management));
            }
            bodies.push(GeneratedBody {
                code: format!("DEP-{}", dept.0),
                level: BodyLevel::Department,
                name: format!("{} department partnership, {}", dept.1, facilities[dept.2].1),
                unit_code: Some(dept.0.clone()),
                parent_code: Some(format!("FAC-{}", facilities[dept.2].0)),
                seats,
            });
        }
        for t in 0..teams {
            team_index += 1;
            let mut seats = Vec::new();
            let members: Vec<&String> = s.members.iter().skip(t).step_by(teams.max(1)).collect();
            // A few teams have lost a co-lead on one side or the other: the
            // dashboard must flag them. Vacancies fall on both sides alike.
            let labor_vacant = (team_index + 50).is_multiple_of(53);
            let management_vacant = (team_index + 42).is_multiple_of(47);
            if let (false, Some(no)) = (labor_vacant, members.first()) {
                seats.push(((*no).clone(), BodyRole::CoLead, Side::Labor));
            }
            if let (false, Some(no)) = (management_vacant, first(&s.managers, t)) {
                seats.push((no, BodyRole::CoLead, Side::Management));
            }
            if team_index.is_multiple_of(5) {
                if let Some(no) = first(&s.physicians, t) {
                    seats.push((no, BodyRole::CoLead, Side::Physician));
                }
            }
            // Sponsors come from elsewhere in the facility.
            let neighbour = facility_departments[dept.2].first().copied().unwrap_or(d);
            let sponsor_staff = &staff[if neighbour == d { d } else { neighbour }];
            if let Some(no) = first(&sponsor_staff.members, 1 + t) {
                seats.push((no, BodyRole::Sponsor, Side::Labor));
            }
            if let Some(no) = first(&sponsor_staff.managers, 1 + t) {
                if !seats.iter().any(|(p, r, _)| *p == no && *r == BodyRole::CoLead) {
                    seats.push((no, BodyRole::Sponsor, Side::Management));
                }
            }
            for no in members {
                seats.push((no.clone(), BodyRole::Member, Side::Labor));
            }
            if let Some(no) = first(&s.managers, t + 1) {
                seats.push((no, BodyRole::Member, Side::Management));
            }
            dedup_seats(&mut seats);
            bodies.push(GeneratedBody {
                code: format!("UBT-{}-{}", dept.0, t + 1),
                level: BodyLevel::Team,
                name: format!("{} Team {}, {}", dept.1, (b'A' + t as u8) as char, facilities[dept.2].1),
                unit_code: Some(dept.0.clone()),
                // A team answers to its department partnership where the
                // department has one (hospitals), else to the facility council.
                parent_code: Some(if hospital {
                    format!("DEP-{}", dept.0)
                } else {
                    format!("FAC-{}", facilities[dept.2].0)
                }),
                seats,
            });
        }
    }
    // Facility councils and their Labor Partners.
    for (f, (code, name, _, region)) in facilities.iter().enumerate() {
        let depts = &facility_departments[f];
        let mut seats = Vec::new();
        for (k, d) in depts.iter().take(6).enumerate() {
            let role = if k == 0 { BodyRole::CoLead } else { BodyRole::Member };
            if let Some(no) = first(&staff[*d].members, 2) {
                seats.push((no, role, Side::Labor));
            }
            if let Some(no) = first(&staff[*d].managers, 0) {
                seats.push((no, role, Side::Management));
            }
        }
        dedup_seats(&mut seats);
        if let (Some(d), true) = (depts.first(), !staff[depts[0]].members.is_empty()) {
            if let (Some(labor), Some(manager)) = (first(&staff[*d].members, 3), first(&staff[*d].managers, 0)) {
                labor_partners.push((labor, code.clone(), manager));
            }
        }
        // Two regions may each have a facility of one name: the council
        // carries its region, so no two councils read alike.
        let region_name = shape
            .regions
            .iter()
            .find(|r| r.0 == region)
            .map_or(region.as_str(), |r| r.1);
        bodies.push(GeneratedBody {
            code: format!("FAC-{code}"),
            level: BodyLevel::Facility,
            name: format!("{name} Partnership Council, {region_name}"),
            unit_code: Some(code.clone()),
            parent_code: Some(format!("REG-{region}")),
            seats,
        });
    }
    // Regional bodies: drawn from their facilities' councils.
    for (region_code, region_name, _, _) in shape.regions {
        let mut seats = Vec::new();
        for (f, _) in facilities
            .iter()
            .enumerate()
            .filter(|(_, fac)| fac.3 == *region_code)
            .take(5)
        {
            let role = if seats.is_empty() {
                BodyRole::CoLead
            } else {
                BodyRole::Member
            };
            if let Some(d) = facility_departments[f].first() {
                if let Some(no) = first(&staff[*d].members, 4) {
                    seats.push((no, role, Side::Labor));
                }
                if let Some(no) = first(&staff[*d].managers, 1) {
                    seats.push((no, role, Side::Management));
                }
            }
        }
        dedup_seats(&mut seats);
        bodies.push(GeneratedBody {
            code: format!("REG-{region_code}"),
            level: BodyLevel::Regional,
            name: format!("{region_name} Joint Partnership Committee"),
            unit_code: Some(region_code.to_string()),
            parent_code: Some("NAT".into()),
            seats,
        });
    }
    // The national strategy group: union, management and physician leaders.
    let mut seats = Vec::new();
    for k in 0..8 {
        let d = (k * 97) % departments.len();
        let role = if k == 0 { BodyRole::CoLead } else { BodyRole::Member };
        if let Some(no) = first(&staff[d].members, 5) {
            seats.push((no, role, Side::Labor));
        }
        if let Some(no) = first(&staff[d].managers, 2) {
            seats.push((no, role, Side::Management));
        }
        if k < 3 {
            if let Some(no) = first(&staff[d].physicians, 0) {
                seats.push((no, role, Side::Physician));
            }
        }
    }
    dedup_seats(&mut seats);
    bodies.insert(
        0,
        GeneratedBody {
            code: "NAT".into(),
            level: BodyLevel::National,
            name: format!("{} Strategy Group", shape.employer),
            unit_code: None,
            parent_code: None,
            seats,
        },
    );

    let mut user_people = HashMap::new();
    for (username, _, link) in shape.users {
        let person = match *link {
            "steward" => stewards.first().map(|s| s.0.clone()),
            "manager" => staff.iter().find_map(|s| s.managers.first().cloned()),
            "member" => staff.iter().find_map(|s| s.members.get(1).cloned()),
            _ => None,
        };
        if let Some(no) = person {
            user_people.insert(*username, no);
        }
    }
    Generated {
        org,
        people,
        bodies,
        stewards,
        labor_partners,
        user_people,
    }
}

/// One person holds one seat of a kind once; a co-lead is not also a member.
fn dedup_seats(seats: &mut Vec<(String, BodyRole, Side)>) {
    let mut seen = std::collections::HashSet::new();
    let mut co_leads = std::collections::HashSet::new();
    seats.retain(|(no, role, side)| {
        if *role == BodyRole::CoLead {
            co_leads.insert(no.clone());
        } else if co_leads.contains(no) {
            return false;
        }
        seen.insert((no.clone(), *role, *side))
    });
}

/// Stages of a load, for a progress bar.
pub const DEMO_STAGES: u64 = 6;

/// Load the demo partnerships unless they are already there. `password_hash`
/// is the hash every demo sign-in gets. `progress(stage, done)` is called
/// as each stage of [`DEMO_STAGES`] per partnership finishes.
pub async fn load_demo(
    store: &Store,
    scale: Scale,
    password_hash: &str,
    progress: &(dyn Fn(&str, u64) + Sync),
) -> Result<DemoReport> {
    let mut report = DemoReport::default();
    for (shape, seed) in [(main_shape(scale), 1997_u64), (other_shape(), 2022_u64)] {
        let existing = store.partnership_by_slug(shape.slug).await?;
        if let Some(partnership) = existing {
            let complete = store.user_by_name(shape.users[0].0).await?.is_some();
            if !complete {
                return Err(StoreError::Rule(lmp_core::Refusal::as_written(format!(
                    "a partial demo of {:?} is in this database (an earlier load stopped part-way): start from a fresh database",
                    partnership.slug
                ))));
            }
            report.partnerships.push((shape.slug.to_string(), true));
            continue;
        }
        let loaded = load_partnership(store, &shape, seed, password_hash, progress).await?;
        report.people += loaded.people;
        report.bodies += loaded.bodies;
        report.seats += loaded.seats;
        report.partnerships.push((shape.slug.to_string(), false));
    }
    Ok(report)
}

async fn load_partnership(
    store: &Store,
    shape: &Shape,
    seed: u64,
    password_hash: &str,
    progress: &(dyn Fn(&str, u64) + Sync),
) -> Result<DemoReport> {
    progress(&format!("{}: generating", shape.slug), 0);
    let generated = generate(shape, seed);
    let partnership = store
        .create_partnership(shape.slug, shape.name, shape.employer, shape.coalition)
        .await?;
    let pid = partnership.id;
    store
        .set_partnership_time_zone(&Permit::operator(pid, Action::ConfigureRules), shape.time_zone)
        .await?;
    let permit = Permit::operator(pid, Action::Import);
    progress(&format!("{}: units", shape.slug), 1);
    let columns = Columns::from_header(&ORG_COLUMNS, &ORG_COLUMNS).map_err(|e| StoreError::Rule(e.reason))?;
    let org = generated
        .org
        .iter()
        .enumerate()
        .map(|(i, r)| Ok((i as u64 + 2, csv::StringRecord::from(r.to_vec()))));
    store.import_org_records(&permit, "demo-org.csv", &columns, org).await?;
    progress(&format!("{}: people", shape.slug), 2);
    let columns = Columns::from_header(&PEOPLE_COLUMNS, &PEOPLE_COLUMNS).map_err(|e| StoreError::Rule(e.reason))?;
    let people = generated
        .people
        .iter()
        .enumerate()
        .map(|(i, r)| Ok((i as u64 + 2, csv::StringRecord::from(r.to_vec()))));
    let imported = store
        .import_people_records(&permit, "demo-people.csv", &columns, people)
        .await?;
    progress(&format!("{}: bodies and seats", shape.slug), 3);
    let seats = insert_demo_bodies(store, pid, &generated).await?;
    progress(&format!("{}: teams at work", shape.slug), 4);
    crate::teams::load_demo_teams(store, pid, lmp_store::today()).await?;
    crate::decisions::load_demo_decisions(store, pid).await?;
    crate::governance::load_demo_governance(store, pid).await?;
    crate::training::load_demo_training(store, pid, lmp_store::today()).await?;
    progress(&format!("{}: sign-ins", shape.slug), 5);
    for (username, role, _) in shape.users {
        let person_id = match generated.user_people.get(username) {
            Some(no) => store.person_id_by_employee_no(pid, no).await?,
            None => None,
        };
        store
            .create_user(pid, username, password_hash, *role, person_id)
            .await?;
    }
    progress(&format!("{}: the trust's books", shape.slug), 5);
    let trustees = ["labor", "manager"].map(|user| generated.user_people.get(user).map(String::as_str));
    if let [Some(labor), Some(manager)] = trustees {
        crate::payroll::load_demo_trust(store, pid, lmp_store::today(), [labor, manager]).await?;
        progress(&format!("{}: a restructuring", shape.slug), 5);
        crate::eis::load_demo_eis(store, pid, lmp_store::today(), [labor, manager]).await?;
        progress(&format!("{}: a year of staffing, hour by hour", shape.slug), 5);
        crate::staffing::load_demo_staffing(store, pid, lmp_store::today()).await?;
        progress(&format!("{}: three years of outcomes", shape.slug), 5);
        crate::outcomes::load_demo_outcomes(store, pid, lmp_store::today()).await?;
    }
    crate::governance::load_demo_open_work(store, pid).await?;
    store.analyze().await?;
    progress(&format!("{}: done", shape.slug), DEMO_STAGES);
    Ok(DemoReport {
        partnerships: vec![],
        people: imported.inserted,
        bodies: generated.bodies.len() as u64,
        seats,
    })
}

/// Bodies level by level (so parents exist first), then every seat and
/// standing role, in one transaction with one audit entry per body.
async fn insert_demo_bodies(store: &Store, pid: i64, generated: &Generated) -> Result<u64> {
    let seat_count = in_tx!(store, |tx| {
        let units: HashMap<String, i64> =
            sqlx::query_as::<_, (String, i64)>("SELECT code, id FROM units WHERE partnership_id = $1")
                .bind(pid)
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .collect();
        let people: HashMap<String, i64> =
            sqlx::query_as::<_, (String, i64)>("SELECT employee_no, id FROM people WHERE partnership_id = $1")
                .bind(pid)
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .collect();
        let mut body_ids: HashMap<String, i64> = HashMap::new();
        let mut changes = Vec::new();
        for level in BodyLevel::ALL {
            let rows: Vec<Vec<Value>> = generated
                .bodies
                .iter()
                .filter(|b| b.level == level)
                .map(|b| {
                    changes.push(Change::new("body.create", "body", &b.code).after(&serde_json::json!({
                        "level": b.level.as_str(), "name": b.name, "unit_code": b.unit_code, "parent_code": b.parent_code,
                        "seats": b.seats.iter().map(|(no, role, side)| format!("{no} {role} {side}")).collect::<Vec<_>>(),
                    })));
                    vec![
                        Value::Int(pid),
                        Value::Text(b.code.clone()),
                        Value::Text(level.as_str().to_string()),
                        Value::Text(b.name.clone()),
                        b.unit_code.as_ref().and_then(|c| units.get(c).copied()).into(),
                        b.parent_code.as_ref().and_then(|c| body_ids.get(c).copied()).into(),
                    ]
                })
                .collect();
            tx.insert_rows(
                "bodies",
                &["partnership_id", "code", "level", "name", "unit_id", "parent_id"],
                &rows,
            )
            .await?;
            let ids: Vec<(String, i64)> =
                sqlx::query_as("SELECT code, id FROM bodies WHERE partnership_id = $1 AND level = $2")
                    .bind(pid)
                    .bind(level.as_str())
                    .fetch_all(&mut *tx)
                    .await?;
            body_ids.extend(ids);
        }
        let mut seat_rows = Vec::new();
        for body in &generated.bodies {
            for (no, role, side) in &body.seats {
                if let (Some(body_id), Some(person_id)) = (body_ids.get(&body.code), people.get(no)) {
                    seat_rows.push(vec![
                        Value::Int(pid),
                        Value::Int(*body_id),
                        Value::Int(*person_id),
                        Value::Text(role.as_str().into()),
                        Value::Text(side.as_str().into()),
                    ]);
                }
            }
        }
        let seats = tx
            .insert_rows(
                "seats",
                &["partnership_id", "body_id", "person_id", "role", "side"],
                &seat_rows,
            )
            .await?;
        let mut standing = Vec::new();
        for (no, unit) in &generated.stewards {
            standing.push(vec![
                Value::Int(pid),
                people.get(no).copied().into(),
                Value::Text("steward".into()),
                units.get(unit).copied().into(),
                Value::Null,
            ]);
        }
        for (no, unit, partner) in &generated.labor_partners {
            standing.push(vec![
                Value::Int(pid),
                people.get(no).copied().into(),
                Value::Text("labor_partner".into()),
                units.get(unit).copied().into(),
                people.get(partner).copied().into(),
            ]);
        }
        tx.insert_rows(
            "standing_roles",
            &["partnership_id", "person_id", "role", "unit_id", "partner_id"],
            &standing,
        )
        .await?;
        tx.append_audit(pid, "operator", changes).await?;
        seats
    });
    Ok(seat_count)
}

/// The names of everyone holding a seat, by person id: what the demo's
/// history writes as who did each thing, never a system's name.
pub(crate) async fn seat_holder_names(store: &Store, pid: i64) -> Result<std::collections::HashMap<i64, String>> {
    let rows: Vec<(i64, String)> = lmp_store::on_pool!(store, |pool| sqlx::query_as(
        "SELECT id, name FROM people WHERE partnership_id = $1 \
         AND id IN (SELECT person_id FROM seats WHERE partnership_id = $1)"
    )
    .bind(pid)
    .fetch_all(pool)
    .await?);
    Ok(rows.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_full_demo_has_the_scale_of_the_sources() {
        let g = generate(&main_shape(Scale::Full), 1997);
        let count = |kind: &str| g.people.iter().filter(|p| p[2] == kind).count();
        assert_eq!(count("union_member"), 134_000);
        assert_eq!(count("manager"), 20_000);
        assert_eq!(count("physician"), 12_000);
        let units = |kind: &str| g.org.iter().filter(|u| u[1] == kind).count();
        assert_eq!(units("hospital"), 39);
        assert!(units("medical_office") >= 200);
        assert_eq!(units("local"), 35);
        assert_eq!(units("international"), 6);
        assert_eq!(units("region"), 7);
        let teams = g.bodies.iter().filter(|b| b.level == BodyLevel::Team).count();
        assert!((3_400..=3_800).contains(&teams), "{teams} teams");
    }

    #[test]
    fn generation_is_deterministic() {
        let a = generate(&main_shape(Scale::Small), 1);
        let b = generate(&main_shape(Scale::Small), 1);
        assert_eq!(a.people, b.people);
        assert_eq!(a.org, b.org);
    }

    #[test]
    fn vacancies_fall_on_both_sides() {
        let g = generate(&main_shape(Scale::Full), 1997);
        let missing = |side: Side| {
            g.bodies
                .iter()
                .filter(|b| !b.seats.iter().any(|(_, r, s)| *r == BodyRole::CoLead && *s == side))
                .count()
        };
        assert!(missing(Side::Labor) > 10);
        assert!(missing(Side::Management) > 10);
    }
}
