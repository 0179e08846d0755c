//! A small hand-rolled checker of JSON values against a vendor's OpenAPI
//! document (`tests/openapi/flashduty-openapi.json` and
//! `slashid-openapi.yaml`, copies of the shared fixtures): `type`,
//! `required`, `properties`, `items`, `enum`, `allOf`, `format: uint64`,
//! `additionalProperties: false`, `pattern`, `minLength`/`maxLength` (in
//! characters) and `minimum`/`maximum`. Shared by the emulator's tests
//! (responses) and the clients' tests (requests).
#![allow(dead_code)]

use serde_json::Value;

pub const SPEC: &str = include_str!("flashduty-openapi.json");

/// Rootly's document (JSON:API bodies, OpenAPI 3.0 `nullable`).
pub const ROOTLY_SPEC: &str = include_str!("rootly-openapi.json");

pub struct Spec(pub Value);

impl Spec {
    /// The Flashduty document.
    pub fn load() -> Self {
        Spec(serde_json::from_str(SPEC).unwrap())
    }

    /// The Rootly document.
    pub fn rootly() -> Self {
        Spec(serde_json::from_str(ROOTLY_SPEC).unwrap())
    }

    /// A YAML document (SlashID's), as the same JSON value tree.
    pub fn from_yaml(text: &str) -> Self {
        Spec(serde_yaml::from_str(text).expect("valid YAML"))
    }

    /// Follows `$ref`s such as `#/components/schemas/RoleItem`.
    pub fn resolve<'a>(&'a self, mut v: &'a Value) -> &'a Value {
        while let Some(r) = v.get("$ref").and_then(Value::as_str) {
            let pointer = r.strip_prefix('#').expect("local $ref");
            v = self
                .0
                .pointer(pointer)
                .unwrap_or_else(|| panic!("dangling $ref {r}"));
        }
        v
    }

    /// The schema of `path`'s response with `status`.
    pub fn response_schema(&self, path: &str, status: u16) -> &Value {
        let responses = &self.0["paths"][path]["post"]["responses"];
        let response = responses
            .get(status.to_string())
            .unwrap_or_else(|| panic!("{path} declares no {status} response"));
        &self.resolve(response)["content"]["application/json"]["schema"]
    }

    /// The schema of `path`'s JSON request body.
    pub fn request_schema(&self, path: &str) -> &Value {
        let body = &self.0["paths"][path]["post"]["requestBody"];
        &self.resolve(body)["content"]["application/json"]["schema"]
    }

    /// Asserts that `body` is a valid request body for `path`.
    pub fn assert_request_conforms(&self, path: &str, body: &Value) {
        let mut errors = Vec::new();
        self.check(self.request_schema(path), body, "$", &mut errors);
        assert!(
            errors.is_empty(),
            "request to {path}: {errors:#?}\n{body:#}"
        );
    }

    pub fn check(&self, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
        let schema = self.resolve(schema);
        // OpenAPI 3.0 `nullable: true` admits null whatever the type.
        if value.is_null() && schema["nullable"] == true {
            return;
        }
        if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
            for s in all {
                self.check(s, value, at, errors);
            }
        }
        if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
            if !allowed.contains(value) {
                errors.push(format!("{at}: {value} is not one of {allowed:?}"));
            }
        }
        if let (Some(p), Some(text)) = (
            schema.get("pattern").and_then(Value::as_str),
            value.as_str(),
        ) {
            // ECMA-262 patterns without the `u` flag: `\w` is ASCII.
            let re = regex::Regex::new(&format!("(?-u){p}")).expect("pattern compiles");
            if !re.is_match(text) {
                errors.push(format!("{at}: {value} does not match {p}"));
            }
        }
        if let Some(text) = value.as_str() {
            let len = text.chars().count() as u64;
            if let Some(max) = schema.get("maxLength").and_then(Value::as_u64) {
                if len > max {
                    errors.push(format!("{at}: longer than {max} characters"));
                }
            }
            if let Some(min) = schema.get("minLength").and_then(Value::as_u64) {
                if len < min {
                    errors.push(format!("{at}: shorter than {min} characters"));
                }
            }
        }
        if let Some(n) = value.as_f64() {
            if let Some(max) = schema.get("maximum").and_then(Value::as_f64) {
                if n > max {
                    errors.push(format!("{at}: {n} is above the maximum {max}"));
                }
            }
            if let Some(min) = schema.get("minimum").and_then(Value::as_f64) {
                if n < min {
                    errors.push(format!("{at}: {n} is below the minimum {min}"));
                }
            }
        }
        let ty = schema.get("type").and_then(Value::as_str);
        let ok = match ty {
            None => true,
            Some("object") => value.is_object(),
            Some("array") => value.is_array(),
            Some("string") => value.is_string(),
            Some("boolean") => value.is_boolean(),
            Some("integer") if schema["format"] == "uint64" => value.is_u64(),
            Some("integer") => value.is_i64() || value.is_u64(),
            Some("number") => value.is_number(),
            Some(other) => panic!("{at}: schema type {other} not supported by this checker"),
        };
        if !ok {
            errors.push(format!("{at}: expected {}, got {value}", ty.unwrap_or("?")));
            return;
        }
        if let (Some(obj), Some("object") | None) = (value.as_object(), ty) {
            let props = schema.get("properties").and_then(Value::as_object);
            for req in schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let name = req.as_str().unwrap();
                if !obj.contains_key(name) {
                    errors.push(format!("{at}: missing required field {name}"));
                }
            }
            for (k, v) in obj {
                match props.and_then(|p| p.get(k)) {
                    Some(s) => self.check(s, v, &format!("{at}.{k}"), errors),
                    None if schema["additionalProperties"] == false => {
                        errors.push(format!("{at}: unexpected field {k}"))
                    }
                    None => {}
                }
            }
        }
        if let (Some(items), Some(s)) = (value.as_array(), schema.get("items")) {
            for (i, v) in items.iter().enumerate() {
                self.check(s, v, &format!("{at}[{i}]"), errors);
            }
        }
    }

    /// The schema of `method path`'s response with `status`, whatever its
    /// media type (Rootly's is `application/vnd.api+json`).
    pub fn operation_response_schema(&self, method: &str, path: &str, status: u16) -> &Value {
        let op = &self.0["paths"][path][method];
        assert!(op.is_object(), "{method} {path} is not in the document");
        let response = op["responses"]
            .get(status.to_string())
            .unwrap_or_else(|| panic!("{method} {path} declares no {status} response"));
        let content = self.resolve(response)["content"]
            .as_object()
            .unwrap_or_else(|| panic!("{method} {path} {status} has no content"));
        &content.values().next().expect("one media type")["schema"]
    }

    /// Asserts that `body` is `method path`'s declared `status` response.
    pub fn assert_operation_conforms(&self, method: &str, path: &str, status: u16, body: &Value) {
        let mut errors = Vec::new();
        let schema = self.operation_response_schema(method, path, status);
        self.check(schema, body, "$", &mut errors);
        assert!(
            errors.is_empty(),
            "{method} {path} {status}: {errors:#?}\n{body:#}"
        );
    }

    /// Asserts that `body` is a valid request body of `method path`.
    pub fn assert_operation_request_conforms(&self, method: &str, path: &str, body: &Value) {
        let content = self.0["paths"][path][method]["requestBody"]["content"]
            .as_object()
            .unwrap_or_else(|| panic!("{method} {path} has no request body"));
        let schema = &content.values().next().expect("one media type")["schema"];
        let mut errors = Vec::new();
        self.check(schema, body, "$", &mut errors);
        assert!(
            errors.is_empty(),
            "request {method} {path}: {errors:#?}\n{body:#}"
        );
    }

    pub fn assert_conforms(&self, path: &str, status: u16, body: &Value) {
        let mut errors = Vec::new();
        self.check(self.response_schema(path, status), body, "$", &mut errors);
        assert!(errors.is_empty(), "{path} {status}: {errors:#?}\n{body:#}");
    }
}
