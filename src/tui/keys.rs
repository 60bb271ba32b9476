//! Key bindings: one table drives the key handlers, the footer hints and the `?` help.
//! Each screen lists its [`Binding`]s (command, hint, help); which keys trigger a command
//! comes from the [`KeyMap`], loaded from the embedded `assets/keybindings.toml` and
//! overridden by the user's file in the XDG config directory (as stu and gitui do).

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where the user's key file goes, as help and docs say it.
pub const KEY_FILE: &str = "$XDG_CONFIG_HOME/eks-private-tui/keybindings.toml";

/// The keys as shipped.
pub const EMBEDDED: &str = include_str!("../../assets/keybindings.toml");

/// Where a binding applies: every screen, every list, or one screen or view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    Global,
    List,
    Vpcs,
    Subnets,
    Edit,
    Preview,
    Checks,
    /// The answers of a question (dialogs); typed words are typed, never bound.
    Dialog,
}

impl Scope {
    pub const ALL: &'static [Scope] = &[
        Scope::Global,
        Scope::List,
        Scope::Vpcs,
        Scope::Subnets,
        Scope::Edit,
        Scope::Preview,
        Scope::Checks,
        Scope::Dialog,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Scope::Global => "global",
            Scope::List => "list",
            Scope::Vpcs => "vpcs",
            Scope::Subnets => "subnets",
            Scope::Edit => "edit",
            Scope::Preview => "preview",
            Scope::Checks => "checks",
            Scope::Dialog => "dialog",
        }
    }
}

/// What a key asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Command {
    Quit,
    Help,
    Save,
    Reload,
    Checks,
    Back,
    Up,
    Down,
    First,
    Last,
    PageUp,
    PageDown,
    Choose,
    Filter,
    Region,
    Toggle,
    Next,
    CycleCluster,
    Edit,
    Apply,
    Severity,
    Close,
    Export,
    Topology,
    Confirm,
    Yes,
    No,
    Overwrite,
    Load,
    Keep,
    Stop,
}

impl Command {
    pub const ALL: &'static [Command] = &[
        Command::Quit,
        Command::Help,
        Command::Save,
        Command::Reload,
        Command::Checks,
        Command::Back,
        Command::Up,
        Command::Down,
        Command::First,
        Command::Last,
        Command::PageUp,
        Command::PageDown,
        Command::Choose,
        Command::Filter,
        Command::Region,
        Command::Toggle,
        Command::Next,
        Command::CycleCluster,
        Command::Edit,
        Command::Apply,
        Command::Severity,
        Command::Close,
        Command::Export,
        Command::Topology,
        Command::Confirm,
        Command::Yes,
        Command::No,
        Command::Overwrite,
        Command::Load,
        Command::Keep,
        Command::Stop,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Command::Quit => "quit",
            Command::Help => "help",
            Command::Save => "save",
            Command::Reload => "reload",
            Command::Checks => "checks",
            Command::Back => "back",
            Command::Up => "up",
            Command::Down => "down",
            Command::First => "first",
            Command::Last => "last",
            Command::PageUp => "page_up",
            Command::PageDown => "page_down",
            Command::Choose => "choose",
            Command::Filter => "filter",
            Command::Region => "region",
            Command::Toggle => "toggle",
            Command::Next => "next",
            Command::CycleCluster => "cycle_cluster",
            Command::Edit => "edit",
            Command::Apply => "apply",
            Command::Severity => "severity",
            Command::Close => "close",
            Command::Export => "export",
            Command::Topology => "topology",
            Command::Confirm => "confirm",
            Command::Yes => "yes",
            Command::No => "no",
            Command::Overwrite => "overwrite",
            Command::Load => "load",
            Command::Keep => "keep",
            Command::Stop => "stop",
        }
    }

    fn from_name(s: &str) -> Option<Command> {
        Command::ALL.iter().copied().find(|c| c.name() == s)
    }
}

/// One line of a screen's key table: what its keys do, as the footer and `?` say it.
/// `commands` share one hint (↑↓ move: up and down).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding {
    pub scope: Scope,
    pub commands: &'static [Command],
    /// Footer hint ("choose"); empty: shown in `?` only.
    pub hint: &'static str,
    /// `?` help line.
    pub help: &'static str,
}

/// A binding of `commands` in `scope`, with a screen's words for it.
pub const fn on(
    scope: Scope,
    commands: &'static [Command],
    hint: &'static str,
    help: &'static str,
) -> Binding {
    Binding {
        scope,
        commands,
        hint,
        help,
    }
}

/// The list keys every list screen shares.
pub const MOVE: Binding = on(Scope::List, &[Command::Up, Command::Down], "move", "move");
pub const ENDS: Binding = on(
    Scope::List,
    &[Command::First, Command::Last],
    "first/last",
    "first / last",
);
pub const PAGE: Binding = on(
    Scope::List,
    &[Command::PageUp, Command::PageDown],
    "",
    "page up / down",
);
pub const LIST: &[Binding] = &[MOVE, ENDS, PAGE];

/// The keys of every screen (each screen's table places them).
pub const SAVE: Binding = on(
    Scope::Global,
    &[Command::Save],
    "save",
    "save the spec file (only what changed; asks before overwriting an edit)",
);
pub const RELOAD: Binding = on(
    Scope::Global,
    &[Command::Reload],
    "reload",
    "read the account and the spec file again",
);
pub const CHECKS: Binding = on(
    Scope::Global,
    &[Command::Checks],
    "checks",
    "checks: every finding, with why and fix",
);
pub const HELP: Binding = on(Scope::Global, &[Command::Help], "help", "this help");
pub const TOPOLOGY: Binding = on(
    Scope::Global,
    &[Command::Topology],
    "topology",
    "the VPC drawn as AZ columns, with what the plan adds (t or Esc closes)",
);
pub const QUIT: Binding = on(
    Scope::Global,
    &[Command::Quit],
    "quit",
    "quit (asks when choices are unsaved); Ctrl-C quits now",
);
pub const GLOBAL: &[Binding] = &[SAVE, RELOAD, CHECKS, HELP, QUIT];

/// A step's key table: the move keys, the step's own bindings, then the keys every
/// step lists after them in its footer and `?` (checks, help, quit, reload, first/last,
/// save, page up/down).
macro_rules! step_keys {
    ($($own:expr),* $(,)?) => {
        &[
            $crate::tui::keys::MOVE,
            $($own,)*
            $crate::tui::keys::CHECKS,
            $crate::tui::keys::HELP,
            $crate::tui::keys::QUIT,
            $crate::tui::keys::RELOAD,
            $crate::tui::keys::ENDS,
            $crate::tui::keys::SAVE,
            $crate::tui::keys::PAGE,
        ]
    };
}
pub(crate) use step_keys;

/// A key: a code and whether Control is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

impl Key {
    /// `q`, `G`, `enter`, `ctrl-b`, `f5`, …
    pub fn parse(s: &str) -> Result<Key, String> {
        let (ctrl, name) = match s.strip_prefix("ctrl-") {
            Some(rest) if !rest.is_empty() => (true, rest),
            _ => (false, s),
        };
        let mut chars = name.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) if !c.is_control() => KeyCode::Char(c),
            _ => match name {
                "enter" => KeyCode::Enter,
                "esc" => KeyCode::Esc,
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "space" => KeyCode::Char(' '),
                "backspace" => KeyCode::Backspace,
                "delete" => KeyCode::Delete,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pageup" => KeyCode::PageUp,
                "pagedown" => KeyCode::PageDown,
                f if f.starts_with('f')
                    && f[1..].parse::<u8>().is_ok_and(|n| (1..=12).contains(&n)) =>
                {
                    KeyCode::F(f[1..].parse().expect("checked"))
                }
                _ => return Err(format!("unknown key {s:?}")),
            },
        };
        if ctrl && matches!(code, KeyCode::Char('c')) {
            return Err("ctrl-c always quits: bind another key".into());
        }
        Ok(Key { code, ctrl })
    }

    pub fn matches(&self, k: &KeyEvent) -> bool {
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl != self.ctrl {
            return false;
        }
        // Shifted letters arrive as the upper-case char, with or without SHIFT: the code
        // alone decides.
        self.code == k.code
    }

    /// As the footer and help show it.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Backspace => "Backspace".into(),
            KeyCode::Delete => "Del".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        if self.ctrl {
            format!("Ctrl-{base}")
        } else {
            base
        }
    }
}

/// Which keys trigger which command, per scope.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyMap {
    keys: BTreeMap<(Scope, Command), Vec<Key>>,
}

impl Default for KeyMap {
    fn default() -> Self {
        KeyMap::embedded()
    }
}

type Table = BTreeMap<String, BTreeMap<String, Vec<String>>>;

/// The scopes that are active together (a key may mean one thing only across them).
const TOGETHER: &[&[Scope]] = &[
    &[Scope::Global, Scope::List, Scope::Vpcs],
    &[Scope::Global, Scope::List, Scope::Subnets],
    // The later steps use the toggle and next keys of [subnets] and the edit key.
    &[Scope::Global, Scope::List, Scope::Subnets, Scope::Edit],
    // The preview's Enter is the [subnets] next key (an action's attributes).
    &[Scope::Global, Scope::List, Scope::Subnets, Scope::Preview],
    &[Scope::List, Scope::Checks],
    // A dialog's answers beside the global keys some dialogs take (q, w, Esc).
    &[Scope::Global, Scope::Dialog],
];

impl KeyMap {
    /// The shipped keys. The embedded file is checked by a test, so this cannot fail.
    pub fn embedded() -> KeyMap {
        KeyMap::parse(EMBEDDED, None, "assets/keybindings.toml")
            .expect("the embedded key file is valid")
    }

    /// The shipped keys with `text` (a user file named `file`) laid over them.
    pub fn with_overrides(text: &str, file: &str) -> Result<KeyMap, String> {
        KeyMap::parse(EMBEDDED, Some((text, file)), file)
    }

    /// The largest key file read: the shipped one is a few kilobytes.
    pub const MAX_KEY_FILE_BYTES: u64 = 64 << 10;

    /// The user's file, if there is one (`$XDG_CONFIG_HOME`, else `~/.config`).
    pub fn user_file() -> Option<PathBuf> {
        let base = std::env::var_os("XDG_CONFIG_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".config")))?;
        Some(base.join("eks-private-tui").join("keybindings.toml"))
    }

    /// The keys the wizard uses: the user's file over the shipped ones. An unreadable or
    /// invalid user file is an error that names it.
    pub fn load() -> Result<KeyMap, String> {
        match KeyMap::user_file() {
            // Opened as the spec is (issue 27, 6): a regular file, no link followed (so no
            // error shows a line of another file), no FIFO waited on, a bounded size.
            Some(p) => match crate::files::read(&p, Self::MAX_KEY_FILE_BYTES) {
                Ok(Some(text)) => KeyMap::with_overrides(&text, &p.display().to_string()),
                Ok(None) => Ok(KeyMap::embedded()),
                Err(e) => Err(format!("{}: {e}", p.display())),
            },
            None => Ok(KeyMap::embedded()),
        }
    }

    fn parse(base: &str, over: Option<(&str, &str)>, file: &str) -> Result<KeyMap, String> {
        let mut keys = BTreeMap::new();
        let mut add = |table: Table, file: &str| -> Result<(), String> {
            for (scope_name, entries) in table {
                let scope = Scope::ALL
                    .iter()
                    .copied()
                    .find(|s| s.name() == scope_name)
                    .ok_or_else(|| {
                        format!(
                            "{file}: unknown table [{scope_name}]; the tables are {}",
                            Scope::ALL
                                .iter()
                                .map(|s| s.name())
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    })?;
                for (name, list) in entries {
                    let cmd = Command::from_name(&name)
                        .filter(|c| default_scope(*c) == Some(scope))
                        .ok_or_else(|| {
                            format!("{file}: [{scope_name}] {name}: no such command in this table (assets/keybindings.toml lists them)")
                        })?;
                    let parsed = list
                        .iter()
                        .map(|k| Key::parse(k))
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(|e| format!("{file}: [{scope_name}] {name}: {e}"))?;
                    keys.insert((scope, cmd), parsed);
                }
            }
            Ok(())
        };
        let table: Table = toml::from_str(base).map_err(|e| format!("{file}: {e}"))?;
        add(table, file)?;
        if let Some((text, f)) = over {
            let table: Table =
                toml::from_str(text).map_err(|e| format!("{f}: {}", e.to_string().trim()))?;
            add(table, f)?;
        }
        let map = KeyMap { keys };
        map.check_conflicts(file)?;
        Ok(map)
    }

    /// No key means two things where both apply.
    fn check_conflicts(&self, file: &str) -> Result<(), String> {
        for group in TOGETHER {
            let mut seen: Vec<(Key, Scope, Command)> = vec![];
            for ((scope, cmd), keys) in &self.keys {
                if !group.contains(scope) {
                    continue;
                }
                for k in keys {
                    if let Some((_, s2, c2)) = seen.iter().find(|(k2, ..)| k2 == k) {
                        return Err(format!(
                            "{file}: {} is bound to both [{}] {} and [{}] {}: give one of them another key",
                            k.label(),
                            s2.name(),
                            c2.name(),
                            scope.name(),
                            cmd.name()
                        ));
                    }
                    seen.push((*k, *scope, *cmd));
                }
            }
        }
        Ok(())
    }

    pub fn keys(&self, scope: Scope, cmd: Command) -> &[Key] {
        self.keys.get(&(scope, cmd)).map_or(&[], Vec::as_slice)
    }

    /// The command `k` triggers among `bindings`, if any.
    pub fn command(&self, bindings: &[Binding], k: &KeyEvent) -> Option<Command> {
        bindings.iter().find_map(|b| {
            b.commands
                .iter()
                .copied()
                .find(|c| self.keys(b.scope, *c).iter().any(|key| key.matches(k)))
        })
    }

    /// The footer's key label of a binding: each command's first key, arrows run
    /// together (↑↓), others joined by / (g/G).
    pub fn hint_label(&self, b: &Binding) -> String {
        let firsts: Vec<String> = b
            .commands
            .iter()
            .filter_map(|c| self.keys(b.scope, *c).first().map(Key::label))
            .collect();
        let arrows = firsts
            .iter()
            .all(|l| ["↑", "↓", "←", "→"].contains(&l.as_str()));
        firsts.join(if arrows { "" } else { "/" })
    }

    /// The help's key label of a binding: every key.
    pub fn help_label(&self, b: &Binding) -> String {
        b.commands
            .iter()
            .flat_map(|c| self.keys(b.scope, *c).iter().map(Key::label))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The keys a terminal event stands for. A laggy link (an SSM session) delivers Esc and
/// the next key together, which the terminal parser reads as Alt+key; no binding uses
/// Alt, so that is Esc, then the key.
pub fn split_alt(k: KeyEvent) -> Vec<KeyEvent> {
    if k.modifiers.contains(KeyModifiers::ALT) && !k.modifiers.contains(KeyModifiers::CONTROL) {
        let mut rest = KeyEvent::new(k.code, k.modifiers - KeyModifiers::ALT);
        rest.kind = k.kind;
        return vec![KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE), rest];
    }
    vec![k]
}

/// The table a command lives in.
fn default_scope(c: Command) -> Option<Scope> {
    Some(match c {
        Command::Quit
        | Command::Help
        | Command::Save
        | Command::Reload
        | Command::Checks
        | Command::Topology
        | Command::Back => Scope::Global,
        Command::Up
        | Command::Down
        | Command::First
        | Command::Last
        | Command::PageUp
        | Command::PageDown => Scope::List,
        Command::Choose | Command::Filter | Command::Region => Scope::Vpcs,
        Command::Toggle | Command::Next | Command::CycleCluster => Scope::Subnets,
        Command::Edit => Scope::Edit,
        Command::Apply | Command::Export => Scope::Preview,
        Command::Severity | Command::Close => Scope::Checks,
        Command::Confirm
        | Command::Yes
        | Command::No
        | Command::Overwrite
        | Command::Load
        | Command::Keep
        | Command::Stop => Scope::Dialog,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn esc_then_a_key_read_as_alt_is_both() {
        let alt_j = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::ALT);
        assert_eq!(
            split_alt(alt_j),
            [
                KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE),
                KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE)
            ]
        );
        let shift_alt_g =
            KeyEvent::new(KeyCode::Char('G'), KeyModifiers::ALT | KeyModifiers::SHIFT);
        assert_eq!(split_alt(shift_alt_g)[1].modifiers, KeyModifiers::SHIFT);
        let plain = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
        assert_eq!(split_alt(plain), [plain]);
    }

    fn ev(c: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(c, m)
    }

    #[test]
    fn the_embedded_file_binds_every_command() {
        let m = KeyMap::embedded();
        for c in Command::ALL {
            let s = default_scope(*c).unwrap();
            assert!(!m.keys(s, *c).is_empty(), "{} has no key", c.name());
        }
        let none = KeyModifiers::NONE;
        assert_eq!(
            m.command(LIST, &ev(KeyCode::Char('j'), none)),
            Some(Command::Down)
        );
        assert_eq!(
            m.command(LIST, &ev(KeyCode::Char('b'), KeyModifiers::CONTROL)),
            Some(Command::PageUp)
        );
        assert_eq!(m.command(LIST, &ev(KeyCode::Char('b'), none)), None);
        assert_eq!(
            m.command(LIST, &ev(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Command::Last)
        );
        assert_eq!(m.hint_label(&LIST[0]), "↑↓");
        assert_eq!(m.hint_label(&LIST[1]), "g/G");
        assert_eq!(m.help_label(&LIST[0]), "↑ k ↓ j");
    }

    #[test]
    fn a_user_file_replaces_the_keys_it_names_and_nothing_else() {
        let m = KeyMap::with_overrides("[global]\nquit = [\"ctrl-q\", \"F10\"]\n", "mine.toml")
            .unwrap_err();
        assert!(m.contains("mine.toml") && m.contains("F10"), "{m}");
        let m = KeyMap::with_overrides("[global]\nquit = [\"ctrl-q\", \"f10\"]\n", "mine.toml")
            .unwrap();
        assert_eq!(
            m.command(GLOBAL, &ev(KeyCode::Char('q'), KeyModifiers::CONTROL)),
            Some(Command::Quit)
        );
        assert_eq!(
            m.command(GLOBAL, &ev(KeyCode::Char('q'), KeyModifiers::NONE)),
            None
        );
        assert_eq!(
            m.keys(Scope::Global, Command::Help),
            KeyMap::embedded().keys(Scope::Global, Command::Help)
        );
    }

    #[test]
    fn bad_user_files_say_what_and_where() {
        for (text, needle) in [
            ("[global]\nquit = [\"ctrl-\"]\n", "unknown key \"ctrl-\""),
            ("[globl]\nquit = [\"x\"]\n", "unknown table [globl]"),
            (
                "[global]\nquiet = [\"x\"]\n",
                "[global] quiet: no such command",
            ),
            ("[vpcs]\nquit = [\"x\"]\n", "[vpcs] quit: no such command"),
            ("[global]\nquit = [\"ctrl-c\"]\n", "ctrl-c always quits"),
            ("[global]\nquit = \"q\"\n", "mine.toml"),
            // x toggles a subnet: as quit, it would mean two things there.
            ("[global]\nquit = [\"x\"]\n", "x is bound to both"),
        ] {
            let e = KeyMap::with_overrides(text, "mine.toml").unwrap_err();
            assert!(
                e.contains(needle) && e.starts_with("mine.toml"),
                "{text:?}: {e}"
            );
        }
    }
}
