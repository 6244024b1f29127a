pub mod invitation;
pub mod sign_in;
pub mod sign_ins;
pub mod tokens;
