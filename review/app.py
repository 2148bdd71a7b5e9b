"""The interactive review: one drafted item at a time, its words highlighted in the article.

Keys: ``a`` accept, ``r`` reject, ``c``/``t``/``s``/``x`` fix the claimant, type, stance or
accused of a claim (type the new value, Enter to apply, Escape to cancel), ``n``/``p`` next and
previous, ``q`` quit. Every decision is written to the annotation file at once
(:class:`~.drafts.ReviewSession`).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Input, Static

from ..exceptions import IncidentKGError
from .drafts import Item, ReviewSession

CONTEXT_CHARS = 400
"""How much article text is shown around an item's span, each side."""

def context(item: Item, around: int = CONTEXT_CHARS) -> Text:
    """The article text around ``item``'s span, the span highlighted (plain text, never markup).

    >>> item = Item(__import__("pathlib").Path("a.yaml"), "claim", "c1", (), "Mao said the US did it.", (9, 15))
    >>> text = context(item, around=4)
    >>> text.plain, [(s.start, s.end) for s in text.spans]
    ('…aid the US did…', [(5, 11)])
    """
    if not item.body:
        return Text("(no article text: a candidate entity of the corpus catalog)", style="italic")
    if item.span is None:
        return Text(item.body[: 2 * around] + ("…" if len(item.body) > 2 * around else ""))
    start, end = item.span
    begin, finish = max(0, start - around), min(len(item.body), end + around)
    text = Text("…" if begin else "")
    text.append(item.body[begin:start])
    text.append(item.body[start:end], style="bold reverse")
    text.append(item.body[end:finish])
    text.append("…" if finish < len(item.body) else "")
    return text


class ReviewApp(App):
    """Review the drafts of a :class:`ReviewSession`, item by item."""

    TITLE = "incidentkg review"
    CSS = """
    #item { padding: 0 1; border: round $accent; height: auto; }
    #context { padding: 0 1; border: round $panel; height: 1fr; }
    #message { padding: 0 1; height: auto; }
    #fix { display: none; }
    #fix.open { display: block; }
    """
    BINDINGS = [
        Binding("a", "accept", "accept"),
        Binding("r", "reject", "reject"),
        Binding("c", "fix('claimant')", "claimant"),
        Binding("t", "fix('type')", "type"),
        Binding("s", "fix('stance')", "stance"),
        Binding("x", "fix('accused')", "accused"),
        Binding("n,right", "move(1)", "next"),
        Binding("p,left", "move(-1)", "previous"),
        Binding("q", "quit", "quit"),
        Binding("escape", "cancel_fix", show=False),
    ]

    def __init__(self, session: ReviewSession):
        super().__init__()
        self.session = session
        self.position = 0
        self.fixing: str | None = None
        self.decisions: list[tuple[str, str]] = []  # (what was done, item key), in order

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="item")
        with VerticalScroll(id="context"):
            yield Static(id="text")
        yield Input(id="fix")
        yield Static(id="message")
        yield Footer()

    def on_mount(self) -> None:
        self.show()

    @property
    def current(self) -> Item | None:
        items = self.session.items
        return items[min(self.position, len(items) - 1)] if items else None

    def show(self, message: str = "") -> None:
        """Draw the current item, its context and ``message``."""
        item = self.current
        self.sub_title = f"{len(self.session.items)} item(s) to review"
        if item is None:
            self.query_one("#item", Static).update(Text("Every draft item is reviewed. Press q to quit."))
            self.query_one("#text", Static).update("")
        else:
            head = Text(f"{self.position + 1}/{len(self.session.items)}  {item.kind} {item.key}", style="bold")
            if item.confidence is not None:
                head.append(f"  (confidence {item.confidence})")
            for name, value in item.fields:
                head.append(f"\n{name:>10}: ", style="dim")
                head.append(value)
            self.query_one("#item", Static).update(head)
            self.query_one("#text", Static).update(context(item))
        self.query_one("#message", Static).update(Text(message))

    def _step(self, what: str, step) -> None:
        item = self.current
        if item is None:
            return
        try:
            step(item)
        except IncidentKGError as error:
            self.show(f"Not done: {error}")
            return
        self.decisions.append((what, item.key))
        self.position = min(self.position, max(0, len(self.session.items) - 1))
        self.show(f"{what} {item.key}")

    def action_accept(self) -> None:
        self._step("accepted", self.session.accept)

    def action_reject(self) -> None:
        self._step("rejected", self.session.reject)

    def action_move(self, by: int) -> None:
        if self.session.items:
            self.position = (self.position + by) % len(self.session.items)
        self.show()

    def action_fix(self, field: str) -> None:
        item = self.current
        if item is None or item.kind != "claim":
            self.show("Only a claim's claimant, type, stance and accused can be fixed here.")
            return
        self.fixing = field
        box = self.query_one("#fix", Input)
        current = dict(item.fields)[field]
        box.placeholder = f"new {field}, now {current}" + (" (ids separated by spaces)" if field == "accused" else "")
        box.value = ""
        box.add_class("open")
        box.focus()
        self.show(f"Fix {field} of {item.key} (now: {current}); Enter applies, Escape cancels.")

    def action_cancel_fix(self) -> None:
        self._close_fix()
        self.show("Fix cancelled.")

    def _close_fix(self) -> None:
        self.fixing = None
        box = self.query_one("#fix", Input)
        box.remove_class("open")
        box.value = ""
        self.set_focus(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        field, item = self.fixing, self.current
        if field is None or item is None:
            return
        try:
            self.session.fix(item, field, event.value)
        except IncidentKGError as error:
            self.show(f"Not fixed: {error}")
            return
        self._close_fix()
        self.decisions.append((f"fixed {field} of", item.key))
        self.show(f"fixed {field} of {item.key}: {dict(self.current.fields)[field]}")

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """While a fix is being typed, letters go to the input box, not to the key bindings."""
        return action == "cancel_fix" if self.fixing else action != "cancel_fix"
