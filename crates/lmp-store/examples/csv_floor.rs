//! The floor under any payroll import: read and split a CSV file with the
//! `csv` crate and nothing else. `bench/trust-import` measures the import
//! beside it.
//!
//!     cargo run --release -p lmp-store --example csv_floor -- FILE.csv

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: csv_floor FILE.csv")?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .buffer_capacity(1 << 18)
        .from_path(&path)?;
    let mut record = csv::ByteRecord::new();
    let (mut rows, mut field_bytes) = (0_u64, 0_u64);
    while reader.read_byte_record(&mut record)? {
        rows += 1;
        field_bytes += record.as_slice().len() as u64;
    }
    println!("{rows} rows, {field_bytes} bytes of fields");
    Ok(())
}
