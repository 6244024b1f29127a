pub mod people;
pub mod units;

/// This area's part of the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    units::dashboard,
    people::list,
    people::show,
    people::sync,
    people::add_role,
    people::remove_role,
    units::locals,
    units::local,
    units::stewards,
    units::list,
    units::show
))]
pub struct Doc;
