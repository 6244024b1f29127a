pub mod bodies;
pub mod changes;
pub mod health;
pub mod meetings;
pub mod notices;
pub mod scorecard;
