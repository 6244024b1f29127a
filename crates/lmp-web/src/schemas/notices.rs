use super::*;

#[derive(Serialize, ToSchema)]
pub struct Notice {
    pub id: i64,
    pub decision_id: Option<i64>,
    pub kind: String,
    pub text: String,
    /// The same notice in Spanish (empty for one written only in English).
    pub text_es: String,
    pub link: String,
    pub created_at: String,
    pub read_at: Option<String>,
}
