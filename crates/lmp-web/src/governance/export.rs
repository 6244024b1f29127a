//! Tables to download: the same rows as CSV (one long table of
//! `section,row,column,value`, so any tool can pivot it) and as XLSX (a
//! worksheet per section).

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

/// `section,row,column,value`, one line per cell after the first column.
pub fn to_csv(tables: &[Table]) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(["section", "row", "column", "value"])?;
    for table in tables {
        for row in &table.rows {
            let key = row.first().map(Cell::plain).unwrap_or_default();
            for (column, cell) in table.columns.iter().zip(row).skip(1) {
                out.write_record([table.name, key.as_str(), column, cell.plain().as_str()])?;
            }
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
    fn csv_is_one_long_table() {
        let csv = String::from_utf8(to_csv(&sample()).expect("csv")).expect("utf8");
        assert_eq!(
            csv,
            "section,row,column,value\nsavings_by_year,2025,self_reported,1234.56\nsavings_by_year,2025,verified,1.00\n"
        );
    }

    #[test]
    fn xlsx_is_a_zip_workbook() {
        let bytes = to_xlsx(&sample()).expect("xlsx");
        assert_eq!(&bytes[..2], b"PK");
    }
}
