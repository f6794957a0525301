"""Every channel of the campaign side by side, for Ringkasan and the weekly page (issue 17):
per channel its two numbers (reports/weekly.channel_figures), or in words why it has none;
the caveat that the channels are not added up; that the WhatsApp Channel is national; and
the sources of the numbers. Three bordered columns, which stack on a phone."""

from __future__ import annotations

import streamlit as st

from dashboard.filters import Filters
from dashboard.i18n import t
from dashboard.reports.weekly import (
    CHANNEL_MEASURES,
    IN_WEEKLY_HEADLINE,
    ChannelFigures,
    channel_notes,
)
from dashboard.text_safety import markdown_text

HELP = {"unique_reach": "ui.unique_reach_help", "unique_devices": "allch.help.unique_devices",
        "views": "allch.help.views"}


def show(figures: list[ChannelFigures], language: str, *, week: bool,
         sources: tuple[str, ...] = (), filters: Filters | None = None) -> None:
    """The block under a subheader the page writes. `week`: the weekly page (numbers of the
    week with the campaign to date under each); else Ringkasan (the sidebar's filters)."""
    for column, channel in zip(st.columns(len(figures)), figures, strict=True):
        with column.container(border=True, key=f"all_channels_{channel.channel}"):
            name = f"**{channel.name(language)}**"
            if channel.national:
                name += f" · {t('allch.national_short', language)}"
            st.markdown(name)
            if channel.has_data:
                above = [m for m in CHANNEL_MEASURES[channel.channel]
                         if week and (channel.channel, m, "period") in IN_WEEKLY_HEADLINE]
                if above:  # the week's headline shows them: pointed to, not repeated
                    st.caption(t("allch.in_headline", language, measures=" · ".join(
                        channel.label(m, language) for m in above)))
                for measure in CHANNEL_MEASURES[channel.channel]:
                    if measure in above:
                        to_date = channel.to_date_text(measure, language)
                        if to_date and (channel.channel, measure,
                                        "campaign") not in IN_WEEKLY_HEADLINE:
                            st.caption(f"{channel.label(measure, language)} · {to_date}")
                        continue
                    help_key = HELP.get(measure)
                    st.metric(channel.label(measure, language),
                              channel.value_text(measure, language),
                              help=t(help_key, language) if help_key else None)
                    if week and (to_date := channel.to_date_text(measure, language)):
                        st.caption(to_date)
            else:
                st.markdown(f"_{channel.absence(language, week=week)}_")
                if week:
                    to_date = [f"{channel.label(m, language, 'campaign')} "
                               f"{channel.value_text(m, language, 'campaign')}"
                               for m in CHANNEL_MEASURES[channel.channel]
                               if channel.campaign.get(m) is not None]
                    if to_date:
                        st.caption(f"{t('allch.to_date', language)}: {'; '.join(to_date)}")
            if channel.waves:  # ids from files: shown as written, never as Markdown
                st.caption(markdown_text(channel.waves_text(language)))
    notes = channel_notes(figures, language, filters)
    st.info(notes[0], icon=":material/info:")
    # the sources name operators and waves as the files wrote them
    st.caption(" ".join([*notes[1:], markdown_text(" ".join(sources))]).strip())
