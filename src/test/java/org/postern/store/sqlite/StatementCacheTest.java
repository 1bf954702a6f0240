package org.postern.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatementCacheTest {
    @TempDir
    Path dir;

    Connection writer;
    Connection reader;

    @BeforeEach
    void open() throws SQLException {
        writer = Database.connect(dir.resolve("t.db"));
        reader = Database.connect(dir.resolve("t.db"));
        try (PreparedStatement ps = writer.prepareStatement("CREATE TABLE t (n INTEGER)")) {
            ps.execute();
        }
        for (int i = 1; i <= 3; i++) {
            Sql.update(writer, "INSERT INTO t (n) VALUES (?)", i);
        }
    }

    @AfterEach
    void close() throws SQLException {
        writer.close();
        reader.close();
    }

    @Test
    void aClosedStatementIsLentAgainWithItsBindingsCleared() throws SQLException {
        PreparedStatement first = writer.prepareStatement("SELECT count(*) FROM t WHERE n >= ?");
        PreparedStatement real = first.unwrap(PreparedStatement.class);
        first.setLong(1, 2);
        try (ResultSet rs = first.executeQuery()) {
            assertThat(rs.getLong(1)).isEqualTo(2);
        }
        first.close();
        assertThatThrownBy(() -> first.setLong(1, 1)).hasMessageContaining("closed");

        PreparedStatement second = writer.prepareStatement("SELECT count(*) FROM t WHERE n >= ?");
        assertThat(second.unwrap(PreparedStatement.class)).isSameAs(real);
        second.setLong(1, 1);
        try (ResultSet rs = second.executeQuery()) {
            assertThat(rs.getLong(1)).isEqualTo(3);
        }
        second.close();
    }

    @Test
    void theSameQueryInsideItsOwnLoopGetsItsOwnStatement() throws SQLException {
        List<Long> pairs = new ArrayList<>();
        try (PreparedStatement outer = writer.prepareStatement("SELECT n FROM t WHERE n >= ? ORDER BY n");
             PreparedStatement inner = writer.prepareStatement("SELECT n FROM t WHERE n >= ? ORDER BY n")) {
            assertThat(inner.unwrap(PreparedStatement.class)).isNotSameAs(outer.unwrap(PreparedStatement.class));
            outer.setLong(1, 1);
            try (ResultSet o = outer.executeQuery()) {
                while (o.next()) {
                    inner.setLong(1, o.getLong(1));
                    try (ResultSet i = inner.executeQuery()) {
                        while (i.next()) {
                            pairs.add(o.getLong(1) * 10 + i.getLong(1));
                        }
                    }
                }
            }
        }
        assertThat(pairs).containsExactly(11L, 12L, 13L, 22L, 23L, 33L);
    }

    @Test
    void aResultSetLeftOpenDoesNotKeepAReaderOnAnOldSnapshot() throws SQLException {
        PreparedStatement ps = reader.prepareStatement("SELECT n FROM t ORDER BY n");
        ResultSet rs = ps.executeQuery();
        assertThat(rs.next()).isTrue();
        ps.close(); // the result set was never closed: returning the statement must end it
        Sql.update(writer, "INSERT INTO t (n) VALUES (?)", 4);
        assertThat(Sql.queryLong(reader, "SELECT count(*) FROM t", -1)).isEqualTo(4);
    }

    @Test
    void aStatementThatFailsIsNotLentAgain() throws SQLException {
        Sql.update(writer, "CREATE UNIQUE INDEX t_n ON t (n)");
        PreparedStatement failing = writer.prepareStatement("INSERT INTO t (n) VALUES (?)");
        PreparedStatement real = failing.unwrap(PreparedStatement.class);
        failing.setLong(1, 1);
        assertThatThrownBy(failing::executeUpdate).isInstanceOf(SQLException.class);
        failing.close();
        assertThat(real.isClosed()).isTrue();
        try (PreparedStatement again = writer.prepareStatement("INSERT INTO t (n) VALUES (?)")) {
            assertThat(again.unwrap(PreparedStatement.class)).isNotSameAs(real);
            again.setLong(1, 5);
            assertThat(again.executeUpdate()).isEqualTo(1);
        }
    }

    @Test
    void theLeastRecentlyUsedBeyondTheLimitAreClosed() throws SQLException {
        PreparedStatement oldest = writer.prepareStatement("SELECT 0");
        PreparedStatement real = oldest.unwrap(PreparedStatement.class);
        oldest.close();
        for (int i = 1; i <= StatementCache.SIZE; i++) {
            Sql.queryLong(writer, "SELECT " + i, -1);
        }
        assertThat(real.isClosed()).isTrue();
        assertThat(Sql.queryLong(writer, "SELECT 0", -1)).isZero();
    }
}
