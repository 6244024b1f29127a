pub mod projects;
pub mod teams;
