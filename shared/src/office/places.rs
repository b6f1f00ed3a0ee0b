//! Matching the sites, rooms and shifts a roster names to the ones the
//! exam has, so "phong 01", "Phòng 01" and "01" in a "Phòng thi" column
//! all find the room "Phòng 01".

use super::names::fold;
use super::roster_import::ImportContext;

/// The label without its kind word and with a number's leading zeros
/// dropped: "Phòng thi 01" → "1", "Ca 2" → "2", "Trường THPT A" → "thpt a".
pub(crate) fn label_key(label: &str) -> String {
    const KIND_WORDS: [&str; 10] = [
        "phong thi",
        "phong",
        "room",
        "ca thi",
        "ca",
        "shift",
        "diem thi",
        "truong",
        "school",
        "site",
    ];
    let folded = fold(label);
    let rest = KIND_WORDS
        .iter()
        .find_map(|kind| {
            folded
                .strip_prefix(kind)
                .filter(|rest| rest.starts_with(' '))
                .map(str::trim_start)
        })
        .unwrap_or(&folded);
    if !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()) {
        let trimmed = rest.trim_start_matches('0');
        if trimmed.is_empty() { "0" } else { trimmed }.to_owned()
    } else {
        rest.to_owned()
    }
}

/// One known name with its two comparison forms.
struct Known {
    name: String,
    folded: String,
    key: String,
}

impl Known {
    fn new(name: &str) -> Known {
        Known {
            name: name.to_owned(),
            folded: fold(name),
            key: label_key(name),
        }
    }
}

/// Indices of the known names `value` means: those equal after folding,
/// or failing that, those equal by [`label_key`].
fn matching<'k>(known: impl Iterator<Item = &'k Known> + Clone, value: &str) -> Vec<usize> {
    let folded = fold(value);
    let exact: Vec<usize> = known
        .clone()
        .enumerate()
        .filter(|(_, k)| k.folded == folded)
        .map(|(i, _)| i)
        .collect();
    if !exact.is_empty() {
        return exact;
    }
    let key = label_key(value);
    known
        .enumerate()
        .filter(|(_, k)| k.key == key)
        .map(|(i, _)| i)
        .collect()
}

/// What a room cell names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RoomMatch {
    Found {
        site: String,
        room: String,
    },
    Unknown,
    /// The same room name exists at several sites and the row names none.
    Ambiguous(Vec<String>),
}

/// The exam's sites, rooms and shifts, folded once per import.
pub(crate) struct Places {
    sites: Vec<Known>,
    rooms: Vec<(Known, Known)>,
    shifts: Vec<Known>,
}

impl Places {
    pub(crate) fn new(ctx: &ImportContext) -> Places {
        Places {
            sites: ctx.known_sites.iter().map(|s| Known::new(s)).collect(),
            rooms: ctx
                .known_rooms
                .iter()
                .map(|(site, room)| (Known::new(site), Known::new(room)))
                .collect(),
            shifts: ctx.known_shifts.iter().map(|s| Known::new(s)).collect(),
        }
    }

    /// The known site `value` names; `None` when none or several do.
    pub(crate) fn site(&self, value: &str) -> Option<String> {
        unique(&self.sites, matching(self.sites.iter(), value))
    }

    /// The known shift `value` names; `None` when none or several do.
    pub(crate) fn shift(&self, value: &str) -> Option<String> {
        unique(&self.shifts, matching(self.shifts.iter(), value))
    }

    /// The known room `value` names, at `site` when the row gives one.
    pub(crate) fn room(&self, site: Option<&str>, value: &str) -> RoomMatch {
        let site_key = site.map(fold);
        let here: Vec<&(Known, Known)> = self
            .rooms
            .iter()
            .filter(|(s, _)| site_key.as_ref().is_none_or(|k| *k == s.folded))
            .collect();
        let found = matching(here.iter().map(|(_, r)| r), value);
        let mut sites: Vec<String> = Vec::new();
        for &i in &found {
            if !sites.contains(&here[i].0.name) {
                sites.push(here[i].0.name.clone());
            }
        }
        match (found.first(), sites.len()) {
            (None, _) => RoomMatch::Unknown,
            (Some(&i), 1) => RoomMatch::Found {
                site: here[i].0.name.clone(),
                room: here[i].1.name.clone(),
            },
            _ => RoomMatch::Ambiguous(sites),
        }
    }
}

fn unique(known: &[Known], found: Vec<usize>) -> Option<String> {
    match found.as_slice() {
        [i] => Some(known[*i].name.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> ImportContext {
        ImportContext {
            known_sites: vec!["Trường THPT Chu Văn An".into(), "THCS Kim Liên".into()],
            known_rooms: vec![
                ("Trường THPT Chu Văn An".into(), "Phòng 01".into()),
                ("Trường THPT Chu Văn An".into(), "Phòng 02".into()),
                ("THCS Kim Liên".into(), "Phòng 01".into()),
                ("THCS Kim Liên".into(), "Lab A".into()),
            ],
            known_shifts: vec!["Ca 1".into(), "Ca 2".into()],
            default_site: None,
            require_person_id: false,
        }
    }

    #[test]
    fn labels_match_by_fold_then_by_number() {
        let places = Places::new(&ctx());
        assert_eq!(places.shift("ca 1").as_deref(), Some("Ca 1"));
        assert_eq!(places.shift("2").as_deref(), Some("Ca 2"));
        assert_eq!(places.shift("Ca thi 02").as_deref(), Some("Ca 2"));
        assert_eq!(places.shift("Ca 3"), None);
        assert_eq!(
            places.site("THPT Chu Van An").as_deref(),
            Some("Trường THPT Chu Văn An")
        );
        assert_eq!(places.site("Chu Văn An"), None);
    }

    #[test]
    fn rooms_are_found_within_their_site() {
        let places = Places::new(&ctx());
        let found = |site: &str, room: &str| RoomMatch::Found {
            site: site.into(),
            room: room.into(),
        };
        assert_eq!(
            places.room(Some("THCS Kim Liên"), "phong 1"),
            found("THCS Kim Liên", "Phòng 01")
        );
        assert_eq!(places.room(None, "lab a"), found("THCS Kim Liên", "Lab A"));
        assert_eq!(
            places.room(None, "Phòng 01"),
            RoomMatch::Ambiguous(vec![
                "Trường THPT Chu Văn An".into(),
                "THCS Kim Liên".into()
            ])
        );
        assert_eq!(
            places.room(Some("THCS Kim Liên"), "Phòng 02"),
            RoomMatch::Unknown
        );
    }
}
