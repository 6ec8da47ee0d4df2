//! Input rules shared by every surface: lengths counted in characters, trimmed text, emails.

use crate::DomainError;

/// Trims `text` and checks it holds 1 to `max` characters; `field` names it in the error.
pub fn text(field: &str, text: &str, max: usize) -> Result<String, DomainError> {
    let trimmed = text.trim();
    let length = trimmed.chars().count();
    if length == 0 {
        return Err(DomainError::invalid(format!("{field} must not be empty")));
    }
    if length > max {
        return Err(DomainError::invalid(format!(
            "{field} must be at most {max} characters"
        )));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(DomainError::invalid(format!(
            "{field} must not contain control characters"
        )));
    }
    Ok(trimmed.to_owned())
}

/// Normalises an email (trimmed, lower-case) and checks its basic shape.
pub fn email(email: &str) -> Result<String, DomainError> {
    let email = text("email", email, 254)?.to_lowercase();
    let valid = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.contains(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    };
    if !valid {
        return Err(DomainError::invalid(
            "email must look like name@example.com",
        ));
    }
    Ok(email)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_counted_in_characters() {
        assert_eq!(text("name", "  🧑‍💻 ops ", 10).unwrap(), "🧑‍💻 ops");
        assert!(text("name", "   ", 10).is_err());
        assert!(text("name", &"é".repeat(11), 10).is_err());
        assert!(text("name", &"é".repeat(10), 10).is_ok());
    }

    #[test]
    fn emails_are_lower_cased_and_checked() {
        assert_eq!(email(" Ada@Example.COM ").unwrap(), "ada@example.com");
        assert!(email("ada").is_err());
        assert!(email("ada@").is_err());
        assert!(email("a da@example.com").is_err());
    }
}
