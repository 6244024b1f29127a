//! The API answers as its OpenAPI document says: every field served is
//! documented, every required field is served, each of the documented type.
//! The schemas of the store's rows live in `lmp_web::schemas`, apart from the
//! rows they describe, so this is what holds the two together: every GET is
//! called over the small demo, as each demo user it lets in, and every schema
//! a GET can answer with must be met by a served value.

use crate::helpers::{sqlite_app, Reply, TestApp, ROLES};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Schemas no GET of the demo can meet, each with the test that checks a
/// served value against it instead.
const MET_ELSEWHERE: [(&str, &str); 1] = [(
    "DaysTakenIn",
    "only the approval that completes a backdated plan answers with it: staffing.rs checks that answer",
)];

/// Names of schemas.
type Names = BTreeSet<String>;

/// The app's OpenAPI document, to check answers against.
pub struct Document {
    spec: Value,
}

impl Document {
    pub async fn of(app: &TestApp) -> Document {
        Document {
            spec: app.get("admin", "/api/v1/openapi.json").await.json(),
        }
    }

    fn components(&self) -> &serde_json::Map<String, Value> {
        self.spec["components"]["schemas"].as_object().expect("schemas")
    }

    /// The schema documented for a JSON answer, if there is one.
    fn answer_schema(&self, method: &str, route: &str, status: u16) -> Option<&Value> {
        self.spec["paths"][route][method].pointer(&format!("/responses/{status}/content/application~1json/schema"))
    }

    /// Fail unless `reply` is `status` and answers `method route` as documented.
    pub fn assert_answer(&self, method: &str, route: &str, status: u16, reply: &Reply) {
        assert_eq!(reply.status, status, "{method} {route}: {}", reply.text);
        let schema = self
            .answer_schema(method, route, status)
            .unwrap_or_else(|| panic!("{method} {route} documents no JSON answer for {status}"));
        let problems = self.check(&reply.json(), schema, &format!("{method} {route}"), &mut Names::new());
        assert!(
            problems.is_empty(),
            "answers that differ from the document:\n{}",
            problems.join("\n")
        );
    }

    fn named(&self, reference: &str) -> (&Value, String) {
        let name = reference
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("an unexpected reference {reference}"));
        let schema = self
            .components()
            .get(name)
            .unwrap_or_else(|| panic!("the document names {name} but does not define it"));
        (schema, name.to_string())
    }

    /// Every named schema `schema` leads to.
    fn named_within(&self, schema: &Value, found: &mut Names) {
        match schema {
            Value::Object(map) => {
                if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
                    let (inner, name) = self.named(reference);
                    if found.insert(name) {
                        self.named_within(inner, found);
                    }
                }
                map.values().for_each(|inner| self.named_within(inner, found));
            }
            Value::Array(items) => items.iter().for_each(|inner| self.named_within(inner, found)),
            _ => {}
        }
    }

    /// The problems with `value` as an instance of `schema`, each saying where
    /// in the value it is; `met` gains the named schemas it fit.
    fn check(&self, value: &Value, schema: &Value, at: &str, met: &mut Names) -> Vec<String> {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let (named, name) = self.named(reference);
            let problems = self.check(value, named, at, met);
            if problems.is_empty() {
                met.insert(name);
            }
            return problems;
        }
        if let Some(choices) = schema.get("oneOf").and_then(Value::as_array) {
            let mut all = Vec::new();
            for choice in choices {
                let mut tried = Names::new();
                let problems = self.check(value, choice, at, &mut tried);
                if problems.is_empty() {
                    met.extend(tried);
                    return problems;
                }
                all.extend(problems);
            }
            return vec![format!(
                "{at}: fits none of its {} choices ({})",
                choices.len(),
                all.join("; ")
            )];
        }
        if schema.get("allOf").is_some() || schema.get("properties").is_some() {
            return self.check_object(value, schema, at, met);
        }
        if !has_type(value, schema) {
            return vec![format!("{at}: {value} is not {}", schema["type"])];
        }
        let mut problems = Vec::new();
        if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
            if !allowed.contains(value) {
                problems.push(format!("{at}: {value} is not one of {allowed:?}"));
            }
        }
        if let Some(minimum) = schema.get("minimum").and_then(Value::as_f64) {
            if value.as_f64().is_some_and(|v| v < minimum) {
                problems.push(format!("{at}: {value} is below {minimum}"));
            }
        }
        if let (Some(items), Some(values)) = (schema.get("items"), value.as_array()) {
            for (i, item) in values.iter().enumerate() {
                problems.extend(self.check(item, items, &format!("{at}[{i}]"), met));
            }
        }
        if let (Some(each @ Value::Object(_)), Some(map)) = (schema.get("additionalProperties"), value.as_object()) {
            for (key, item) in map {
                problems.extend(self.check(item, each, &format!("{at}.{key}"), met));
            }
        }
        problems
    }

    /// An object's fields, gathered over `allOf` (how a flattened struct is
    /// written): the schema of each, and those required.
    fn fields<'a>(&'a self, schema: &'a Value, named: &mut Vec<String>) -> (BTreeMap<String, &'a Value>, Names) {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let (inner, name) = self.named(reference);
            named.push(name);
            return self.fields(inner, named);
        }
        let mut fields = BTreeMap::new();
        let mut required = Names::new();
        for part in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
            let (more, also) = self.fields(part, named);
            fields.extend(more);
            required.extend(also);
        }
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            fields.extend(properties.iter().map(|(k, v)| (k.clone(), v)));
        }
        if let Some(names) = schema.get("required").and_then(Value::as_array) {
            required.extend(names.iter().filter_map(Value::as_str).map(String::from));
        }
        (fields, required)
    }

    fn check_object(&self, value: &Value, schema: &Value, at: &str, met: &mut Names) -> Vec<String> {
        let Some(object) = value.as_object() else {
            return vec![format!("{at}: {value} is not an object")];
        };
        let mut named = Vec::new();
        let (fields, required) = self.fields(schema, &mut named);
        let mut problems = Vec::new();
        for name in required.iter().filter(|name| !object.contains_key(*name)) {
            problems.push(format!("{at}: the required field {name} is missing"));
        }
        for (name, field) in object {
            match fields.get(name) {
                None => problems.push(format!("{at}: the field {name} is served but not documented")),
                Some(schema) => problems.extend(self.check(field, schema, &format!("{at}.{name}"), met)),
            }
        }
        if problems.is_empty() {
            met.extend(named);
        }
        problems
    }
}

fn has_type(value: &Value, schema: &Value) -> bool {
    let types: Vec<&str> = match schema.get("type") {
        None => return true,
        Some(Value::String(one)) => vec![one.as_str()],
        Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).collect(),
        Some(other) => panic!("an unexpected type {other}"),
    };
    types.iter().any(|t| match *t {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "string" => value.is_string(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        other => panic!("an unexpected type {other}"),
    })
}

/// `path` as the first demo user it lets in.
async fn read_as_anyone(app: &TestApp, path: &str) -> Reply {
    for user in ROLES {
        let reply = app.get(user, path).await;
        if reply.status == 200 {
            return reply;
        }
    }
    panic!("GET {path}: no demo user may read it")
}

/// Where a route's first path parameter finds the values the demo has: a
/// list to read (itself a route, filled in turn) and where in it they are
/// (`*`: every element).
fn source_of(prefix: &str, parameter: &str) -> (&'static str, &'static str) {
    match (prefix, parameter) {
        ("/api/v1/bodies/", "id") => ("/api/v1/bodies?limit=200", "/items/*/id"),
        ("/api/v1/decisions/", "id") => ("/api/v1/scorecard/decisions", "/decisions/*/decision_id"),
        ("/api/v1/eis/displacements/", "id") => ("/api/v1/eis/displacements", "/*/id"),
        ("/api/v1/eis/proposals/", "id") => ("/api/v1/eis/proposals", "/*/id"),
        ("/api/v1/joint-changes/", "id") => ("/api/v1/joint-changes", "/*/id"),
        ("/api/v1/locals/", "id") => ("/api/v1/locals?limit=200", "/items/*/id"),
        ("/api/v1/people/", "id") => ("/api/v1/people?limit=200", "/items/*/id"),
        ("/api/v1/units/", "id") => ("/api/v1/units?kind=hospital&limit=200", "/items/*/id"),
        ("/api/v1/teams/", "id") => ("/api/v1/teams?limit=200", "/items/*/id"),
        ("/api/v1/evidence/measures/", "code") => ("/api/v1/evidence/measures", "/*/code"),
        ("/api/v1/staffing/units/", "code") => ("/api/v1/staffing/units", "/*/code"),
        ("/api/v1/trust/locals/", "code") => ("/api/v1/trust/locals", "/*/key"),
        ("/api/v1/meetings/", "id") => ("/api/v1/bodies/{id}/meetings", "/*/id"),
        ("/api/v1/projects/", "id") => ("/api/v1/teams/{id}/projects", "/*/id"),
        ("/api/v1/training/classes/", "class") => ("/api/v1/training/classes", "/*/class"),
        ("/api/v1/users/", "id") => ("/api/v1/users", "/items/*/id"),
        ("/api/v1/training/sessions/", "id") => ("/api/v1/training/sessions", "/items/*/id"),
        _ => panic!("{prefix}{{{parameter}}}: no source of samples; add one here"),
    }
}

/// The values at `pointer` in `value`, `*` standing for every element.
fn values_at(value: &Value, pointer: &str) -> Vec<String> {
    let Some((before, after)) = pointer.split_once("/*") else {
        return match value.pointer(pointer) {
            Some(Value::String(s)) => vec![s.clone()],
            Some(other @ Value::Number(_)) => vec![other.to_string()],
            _ => Vec::new(),
        };
    };
    let list = value
        .pointer(before)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    list.iter().flat_map(|item| values_at(item, after)).collect()
}

/// Concrete paths for a route: each path parameter filled with each value
/// the demo has for it (a nested list's source filled with its first), and
/// the query a route requires.
async fn samples(app: &TestApp, route: &str) -> Vec<String> {
    let required_query = match route {
        "/api/v1/staffing/required" => "?unit_type=med-surg&patients=10",
        "/api/v1/trust/totals" => "?by=local",
        _ => "",
    };
    filled(app, route)
        .await
        .into_iter()
        .map(|path| format!("{path}{required_query}"))
        .collect()
}

async fn filled(app: &TestApp, route: &str) -> Vec<String> {
    let Some((prefix, rest)) = route.split_once('{') else {
        return vec![route.to_string()];
    };
    let parameter = rest.split('}').next().unwrap_or("");
    let (list, pointer) = source_of(prefix, parameter);
    let list_path = Box::pin(filled(app, list)).await.into_iter().next().expect("a list");
    let values = values_at(&read_as_anyone(app, &list_path).await.json(), pointer);
    assert!(!values.is_empty(), "{list_path}{pointer}: the demo has none");
    let mut paths = Vec::new();
    for value in values {
        let once = route.replacen(&format!("{{{parameter}}}"), &value, 1);
        paths.extend(Box::pin(filled(app, &once)).await);
    }
    paths
}

/// What the small demo lacks, made through the API: a team that adopts
/// another's project, so the scorecard has a practice that spread.
async fn add_what_the_demo_lacks(app: &TestApp, document: &Document) {
    let teams = app.get("admin", "/api/v1/teams?limit=200").await.json();
    let teams = values_at(&teams, "/items/*/id");
    let mut original = None;
    for team in &teams {
        let projects = app.get("admin", &format!("/api/v1/teams/{team}/projects")).await.json();
        if let Some(project) = projects[0]["id"].as_i64() {
            original = Some((team.clone(), project));
            break;
        }
    }
    let (origin, original) = original.expect("a team with a project");
    let adopter = teams.iter().find(|t| **t != origin).expect("a second team");
    let adopted = json!({
        "title": "Fewer falls, as our neighbours did", "compass": ["best_quality"],
        "aim": "Halve falls on the unit.", "how_we_know": "Falls per 1,000 patient days.",
        "change_idea": "Hourly rounding.", "measure": "Falls", "unit": "per 1,000 patient days",
        "baseline": 4.0, "target": 2.0, "target_date": "2027-06-30", "adopted_from": original
    });
    let reply = app
        .api(
            Some("admin"),
            "POST",
            &format!("/api/v1/teams/{adopter}/projects"),
            Some(adopted),
        )
        .await;
    document.assert_answer("post", "/api/v1/teams/{id}/projects", 201, &reply);
    // The demo sends no invitations: one waits for the administrator's list.
    let (employee_no, _) = crate::helpers::someone_without_a_sign_in(app).await;
    let invitation = json!({"employee_no": employee_no, "email": "invited@example.org"});
    let reply = app
        .api(Some("admin"), "POST", "/api/v1/invitations", Some(invitation))
        .await;
    document.assert_answer("post", "/api/v1/invitations", 201, &reply);
}

#[tokio::test]
async fn every_get_answers_as_its_document_says() {
    let app = sqlite_app().await;
    let document = Document::of(&app).await;
    add_what_the_demo_lacks(&app, &document).await;
    let mut met = Names::new();
    let mut reachable = Names::new();
    let mut problems = Vec::new();
    let mut routes = 0;
    for route in document.spec["paths"].as_object().expect("paths").keys() {
        let Some(schema) = document.answer_schema("get", route, 200) else {
            continue; // no GET, or not JSON (a calendar file)
        };
        routes += 1;
        let mut wanted = Names::new();
        document.named_within(schema, &mut wanted);
        wanted.retain(|name| MET_ELSEWHERE.iter().all(|(elsewhere, _)| elsewhere != name));
        reachable.extend(wanted.iter().cloned());
        // Each sample, as each user it lets in, until the route's answers
        // have met every schema it can answer with.
        let mut answered = false;
        let mut met_here = Names::new();
        'samples: for path in samples(&app, route).await {
            for user in ROLES {
                let reply = app.get(user, &path).await;
                if reply.status != 200 {
                    continue;
                }
                answered = true;
                problems.extend(document.check(&reply.json(), schema, &format!("GET {path} as {user}"), &mut met_here));
                if wanted.is_subset(&met_here) {
                    break 'samples;
                }
            }
        }
        assert!(answered, "GET {route}: no sample answered 200 to any demo user");
        met.extend(met_here);
    }
    assert!(routes > 50, "only {routes} GET routes checked");
    assert!(
        problems.is_empty(),
        "{} answers differ from the document, among them:\n{}",
        problems.len(),
        problems.iter().take(40).cloned().collect::<Vec<_>>().join("\n")
    );
    let unmet: Vec<&String> = reachable.difference(&met).collect();
    assert!(
        unmet.is_empty(),
        "schemas met by no served value (give the demo one): {unmet:?}"
    );
}
