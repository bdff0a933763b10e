//! Checking what a user types before anything is sent, with Docker's own rules.

/// Docker's rule for volume and container names: `[a-zA-Z0-9][a-zA-Z0-9_.-]+`.
pub fn docker_name(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphanumeric());
    let rest_ok = name.len() >= 2 && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    if first_ok && rest_ok {
        Ok(())
    } else {
        Err(format!(
            "“{name}” is not a valid name: use two or more of a-z A-Z 0-9 _ . -, starting with a letter or digit"
        ))
    }
}

/// `k=v, k2=v2` (commas or spaces between pairs) into pairs; a pair needs a key.
pub fn key_values(text: &str) -> Result<Vec<(String, String)>, String> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((key, value)) if !key.is_empty() => Ok((key.to_owned(), value.to_owned())),
            _ => Err(format!("“{pair}” is not key=value")),
        })
        .collect()
}

pub fn mount_path(path: &str) -> Result<(), String> {
    if path.starts_with('/') && path != "/" && !path.contains(':') {
        Ok(())
    } else {
        Err(format!("“{path}” is not an absolute path inside the container (like /data)"))
    }
}

/// A command line split on white space, keeping quoted parts together: `sh -c "echo hi"`.
pub fn command_words(text: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut in_word = false;
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (None, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if quote.is_some() {
        return Err("the command has an unclosed quote".to_owned());
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_dockers_rule() {
        assert!(docker_name("data").is_ok());
        assert!(docker_name("my_vol-1.0").is_ok());
        assert!(docker_name("a").is_err(), "two characters at least");
        assert!(docker_name("-x").is_err());
        assert!(docker_name("bad name!").is_err());
        assert!(docker_name("").is_err());
    }

    #[test]
    fn key_values_split_on_commas_and_spaces() {
        assert_eq!(
            key_values("a=1, b=2 c=").unwrap(),
            [("a".into(), "1".into()), ("b".into(), "2".into()), ("c".into(), String::new())]
        );
        assert!(key_values("").unwrap().is_empty());
        assert!(key_values("novalue").is_err());
        assert!(key_values("=x").is_err());
    }

    #[test]
    fn mount_paths_are_absolute() {
        assert!(mount_path("/data").is_ok());
        assert!(mount_path("data").is_err());
        assert!(mount_path("/").is_err());
    }

    #[test]
    fn commands_keep_quoted_words() {
        assert_eq!(command_words(r#"sh -c "echo hi there""#).unwrap(), ["sh", "-c", "echo hi there"]);
        assert_eq!(command_words("  sleep   60 ").unwrap(), ["sleep", "60"]);
        assert_eq!(command_words("echo ''").unwrap(), ["echo", ""]);
        assert!(command_words("echo 'oops").is_err());
    }
}
