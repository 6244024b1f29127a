//! One team's monthly values of one measure, stored as one row: the first
//! month and a run of little-endian f64s, a month with no value being NaN.
//! Ten years of a measure is under a kilobyte, and the evidence page reads
//! a measure's every team in one pass over a few thousand rows.

/// A team's months of one measure.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Series {
    /// The month of `values[0]` (months since January of year 0).
    pub first: i32,
    values: Vec<f64>,
}

/// What setting a month did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Set {
    /// The month had no value; now it has.
    Added,
    /// The month had this very value: nothing changes.
    Same,
    /// The month has another value, which a file does not overwrite.
    Differs { recorded: f64 },
}

impl Series {
    /// Read a stored series; a blob that is not whole months reads as none.
    pub fn from_bytes(first: i32, bytes: &[u8]) -> Series {
        let values = bytes
            .chunks_exact(8)
            .map(|c| f64::from_le_bytes(c.try_into().unwrap_or([0; 8])))
            .collect();
        Series { first, values }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        self.values.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    /// The value of `month`, if it has one.
    pub fn get(&self, month: i32) -> Option<f64> {
        let at = usize::try_from(month - self.first).ok()?;
        self.values.get(at).copied().filter(|v| !v.is_nan())
    }

    /// Give `month` its value, unless it already has another.
    pub fn set(&mut self, month: i32, value: f64) -> Set {
        if let Some(recorded) = self.get(month) {
            return if recorded.to_bits() == value.to_bits() || recorded == value {
                Set::Same
            } else {
                Set::Differs { recorded }
            };
        }
        if self.values.is_empty() {
            self.first = month;
        }
        if month < self.first {
            let gap = (self.first - month) as usize;
            self.values.splice(0..0, std::iter::repeat_n(f64::NAN, gap));
            self.first = month;
        }
        let at = (month - self.first) as usize;
        if at >= self.values.len() {
            self.values.resize(at + 1, f64::NAN);
        }
        self.values[at] = value;
        Set::Added
    }

    /// Every month with a value, in order.
    pub fn months(&self) -> impl Iterator<Item = (i32, f64)> + '_ {
        let first = self.first;
        self.values
            .iter()
            .enumerate()
            .filter(|(_, v)| !v.is_nan())
            .map(move |(i, v)| (first + i as i32, *v))
    }

    /// How many months have a value.
    pub fn count(&self) -> usize {
        self.values.iter().filter(|v| !v.is_nan()).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_go_in_any_order_and_round_trip() {
        let mut s = Series::default();
        assert_eq!(s.set(24_300, 2.5), Set::Added);
        assert_eq!(s.set(24_298, 1.0), Set::Added);
        assert_eq!(s.set(24_305, 0.0), Set::Added);
        assert_eq!(s.set(24_300, 2.5), Set::Same);
        assert_eq!(s.set(24_300, 3.0), Set::Differs { recorded: 2.5 });
        let back = Series::from_bytes(s.first, &s.to_bytes());
        assert_eq!(
            back.months().collect::<Vec<_>>(),
            vec![(24_298, 1.0), (24_300, 2.5), (24_305, 0.0)]
        );
        assert_eq!(back.get(24_299), None);
        assert_eq!(back.count(), 3);
    }
}
