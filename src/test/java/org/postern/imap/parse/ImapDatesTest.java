package org.postern.imap.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImapDatesTest {

    @Test
    void parsesDates() {
        assertThat(ImapDates.parseDate("1-Jan-2026")).isEqualTo(LocalDate.of(2026, 1, 1));
        assertThat(ImapDates.parseDate("01-jan-2026")).isEqualTo(LocalDate.of(2026, 1, 1));
        assertThat(ImapDates.parseDate("29-FEB-2024")).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(ImapDates.parseDate("31-Dec-1999")).isEqualTo(LocalDate.of(1999, 12, 31));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1-Jan-26", "001-Jan-2026", "1-January-2026", "1/Jan/2026", "30-Feb-2026",
        "29-Feb-2025", "32-Jan-2026", "0-Jan-2026", "1-Jan-2026 ", "a-Jan-2026", "1-Jan-20x6", "1-Foo-2026", "1--2026"})
    void rejectsBadDates(String text) {
        assertThatThrownBy(() -> ImapDates.parseDate(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parsesDateTimes() {
        assertThat(ImapDates.parseDateTime("17-Jul-1996 02:44:25 -0700"))
                .isEqualTo(OffsetDateTime.of(1996, 7, 17, 2, 44, 25, 0, ZoneOffset.ofHours(-7)));
        assertThat(ImapDates.parseDateTime(" 7-Jul-1996 02:44:25 +0530"))
                .isEqualTo(OffsetDateTime.of(1996, 7, 7, 2, 44, 25, 0, ZoneOffset.ofHoursMinutes(5, 30)));
        assertThat(ImapDates.parseDateTime("7-Jul-1996 23:59:59 +0000").getDayOfMonth()).isEqualTo(7);
        assertThat(ImapDates.parseDateTime("01-Jan-2026 00:00:00 -0030").getOffset())
                .isEqualTo(ZoneOffset.ofHoursMinutes(0, -30));
    }

    @ParameterizedTest
    @ValueSource(strings = {"17-Jul-1996 02:44:25", "17-Jul-1996 02:44:25 0700", "17-Jul-1996 24:00:00 +0000",
        "17-Jul-1996 02:60:00 +0000", "17-Jul-1996 02:44:61 +0000", "17-Jul-1996 02:44 -0700",
        "17-Jul-1996  02:44:25 -0700", "17-Jul-1996 02:44:25 -2500", "17-Jul-1996 02:44:25 +0060",
        "17-Jul-1996T02:44:25 -0700", "31-Apr-1996 02:44:25 -0700", "17-Jul-1996 02-44-25 -0700"})
    void rejectsBadDateTimes(String text) {
        assertThatThrownBy(() -> ImapDates.parseDateTime(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formatsForResponses() {
        assertThat(ImapDates.formatDateTime(OffsetDateTime.of(1996, 7, 7, 2, 4, 5, 0, ZoneOffset.ofHoursMinutes(-7, -30))))
                .isEqualTo("07-Jul-1996 02:04:05 -0730");
    }
}
