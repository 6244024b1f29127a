//! Tables to download, in the shape a spreadsheet user works with: one
//! table per section, each with its own header row — in CSV one after
//! another (a blank line between), in XLSX a worksheet each.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// A cell: text, a count, or money in cents.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    Cents(i64),
}

impl Cell {
    fn plain(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::Cents(c) => lmp_core::Cents(*c).to_plain(),
        }
    }
}

/// One section: its name, column names and rows. The first column names the row.
#[derive(Debug, Clone)]
pub struct Table {
    pub name: &'static str,
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

/// Each section as a table of its own: its name on a line, its header row,
/// its rows, then a blank line.
pub fn to_csv(tables: &[Table]) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
    for (n, table) in tables.iter().enumerate() {
        if n > 0 {
            out.write_record([""])?;
        }
        out.write_record([table.name])?;
        out.write_record(&table.columns)?;
        for row in &table.rows {
            out.write_record(row.iter().map(Cell::plain))?;
        }
    }
    out.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// A workbook with a worksheet per section; money as dollars.
pub fn to_xlsx(tables: &[Table]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let dollars = Format::new().set_num_format("$#,##0.00");
    for table in tables {
        let sheet = workbook.add_worksheet();
        sheet.set_name(table.name)?;
        for (c, column) in table.columns.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, *column, &bold)?;
        }
        for (r, row) in table.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(t) => sheet.write_string(r, c, t)?,
                    Cell::Int(n) => sheet.write_number(r, c, *n as f64)?,
                    Cell::Cents(cents) => sheet.write_number_with_format(r, c, *cents as f64 / 100.0, &dollars)?,
                };
            }
        }
    }
    workbook.save_to_buffer()
}

/// A percent that may be missing (nothing to count): blank, not zero.
fn percent(value: Option<u64>) -> Cell {
    value.map_or(Cell::Text(String::new()), |p| Cell::Int(p as i64))
}

/// The Partnership Participation Index as two tables: each level's decisions
/// and how many both sides made jointly, and the percent joint year by year.
pub fn participation_tables(rollup: &lmp_store::decisions::Rollup) -> Vec<Table> {
    use lmp_core::body::BodyLevel;
    use Cell::{Int, Text};
    let mut by_year_columns = vec!["year", "all_levels_percent_joint"];
    by_year_columns.extend(BodyLevel::ALL.iter().map(|l| l.as_str()));
    vec![
        Table {
            name: "participation_by_level",
            columns: vec!["level", "decisions_adopted", "made_jointly", "percent_joint"],
            rows: rollup
                .by_level
                .iter()
                .map(|l| {
                    vec![
                        Text(l.level.clone()),
                        Int(l.decisions as i64),
                        Int(l.joint as i64),
                        percent(l.percent),
                    ]
                })
                .collect(),
        },
        Table {
            name: "participation_by_year",
            columns: by_year_columns,
            rows: rollup
                .by_year
                .iter()
                .map(|y| {
                    let mut row = vec![Int(i64::from(y.year)), percent(y.all)];
                    row.extend(
                        BodyLevel::ALL
                            .iter()
                            .map(|l| percent(y.percent_by_level.get(l.as_str()).copied().flatten())),
                    );
                    row
                })
                .collect(),
        },
    ]
}

/// A scorecard as tables, for both downloads.
pub fn scorecard_tables(card: &lmp_store::scorecard::Scorecard) -> Vec<Table> {
    use Cell::{Cents, Int, Text};
    let figure = |name: &str, cell: Cell| vec![Text(name.into()), cell];
    vec![
        Table {
            name: "summary",
            columns: vec!["figure", "value"],
            rows: vec![
                figure("as_of", Text(card.as_of.clone())),
                figure("teams", Int(card.teams)),
                figure("teams_at_levels_4_5", Int(card.top_levels)),
                figure("percent_at_levels_4_5", Int(card.top_level_percent())),
                figure("self_reported_savings", Cents(card.self_reported_cents)),
                figure("verified_savings", Cents(card.verified_cents)),
                figure("workers", Int(card.workers)),
                figure("workers_engaged_90_days", Int(card.engaged)),
                figure("percent_engaged_90_days", Int(card.engaged_percent())),
                figure("teams_not_documented_90_days", Int(card.undocumented)),
                figure("teams_missing_co_lead_or_sponsor", Int(card.missing_leader)),
            ],
        },
        Table {
            name: "teams_by_level",
            columns: vec!["level", "teams"],
            rows: card
                .by_level
                .iter()
                .enumerate()
                .map(|(level, n)| vec![Int(level as i64), Int(*n)])
                .collect(),
        },
        Table {
            name: "projects_by_compass",
            columns: vec!["compass_point", "projects"],
            rows: card
                .projects_by_compass
                .iter()
                .map(|c| vec![Text(c.point.clone()), Int(c.projects)])
                .collect(),
        },
        Table {
            name: "savings_by_year",
            columns: vec!["year", "self_reported", "verified"],
            rows: card
                .savings_by_year
                .iter()
                .map(|y| {
                    vec![
                        Text(y.year.clone()),
                        Cents(y.self_reported_cents),
                        Cents(y.verified_cents),
                    ]
                })
                .collect(),
        },
        Table {
            name: "spread",
            columns: vec![
                "project",
                "team",
                "adoptions",
                "units",
                "facilities",
                "regions",
                "days_to_first",
                "days_to_latest",
            ],
            rows: card
                .spread
                .iter()
                .map(|s| {
                    vec![
                        Text(s.title.clone()),
                        Text(s.team_name.clone()),
                        Int(s.adoptions),
                        Int(s.units),
                        Int(s.facilities),
                        Int(s.regions),
                        Int(s.days_to_first),
                        Int(s.days_to_latest),
                    ]
                })
                .collect(),
        },
        Table {
            name: "breakdown",
            columns: vec![
                "name",
                "kind",
                "teams",
                "teams_at_levels_4_5",
                "self_reported",
                "verified",
                "not_documented_90_days",
                "missing_co_lead_or_sponsor",
                "workers",
                "engaged_90_days",
            ],
            rows: card
                .rows
                .iter()
                .map(|r| {
                    vec![
                        Text(r.name.clone()),
                        Text(r.kind.clone()),
                        Int(r.teams),
                        Int(r.top_levels),
                        Cents(r.self_reported_cents),
                        Cents(r.verified_cents),
                        Int(r.undocumented),
                        Int(r.missing_leader),
                        Int(r.workers),
                        Int(r.engaged),
                    ]
                })
                .collect(),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Table> {
        vec![Table {
            name: "savings_by_year",
            columns: vec!["year", "self_reported", "verified"],
            rows: vec![vec![Cell::Text("2025".into()), Cell::Cents(123_456), Cell::Cents(100)]],
        }]
    }

    #[test]
    fn csv_is_a_table_per_section() {
        let mut tables = sample();
        tables.push(Table {
            name: "teams_by_level",
            columns: vec!["level", "teams"],
            rows: vec![vec![Cell::Int(1), Cell::Int(40)]],
        });
        let csv = String::from_utf8(to_csv(&tables).expect("csv")).expect("utf8");
        assert_eq!(
            csv,
            "savings_by_year\nyear,self_reported,verified\n2025,1234.56,1.00\n\"\"\nteams_by_level\nlevel,teams\n1,40\n"
        );
    }

    #[test]
    fn the_participation_index_has_a_table_by_level_and_by_year() {
        use lmp_store::decisions::{LevelIndex, Rollup, YearIndex};
        let rollup = Rollup {
            by_level: vec![LevelIndex {
                level: "team".into(),
                decisions: 10,
                joint: 7,
                percent: Some(70),
            }],
            by_year: vec![YearIndex {
                year: 2026,
                percent_by_level: [("team".to_string(), Some(70)), ("national".to_string(), None)].into(),
                all: Some(70),
            }],
        };
        let tables = participation_tables(&rollup);
        assert_eq!(
            tables[0].rows[0],
            vec![Cell::Text("team".into()), Cell::Int(10), Cell::Int(7), Cell::Int(70)]
        );
        let team = tables[1]
            .columns
            .iter()
            .position(|c| *c == "team")
            .expect("a team column");
        let national = tables[1]
            .columns
            .iter()
            .position(|c| *c == "national")
            .expect("a national column");
        assert_eq!(tables[1].rows[0][team], Cell::Int(70));
        assert_eq!(
            tables[1].rows[0][national],
            Cell::Text(String::new()),
            "nothing adopted is blank, not 0 %"
        );
    }

    #[test]
    fn xlsx_is_a_zip_workbook() {
        let bytes = to_xlsx(&sample()).expect("xlsx");
        assert_eq!(&bytes[..2], b"PK");
    }
}
