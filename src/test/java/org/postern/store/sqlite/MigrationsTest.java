package org.postern.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MigrationsTest {
    @Test
    void statementsAreSplitAfterCommentsAreRemoved() {
        var parts = Migrations.statements("""
                -- a comment line; with a semicolon
                CREATE TABLE a (x INTEGER); -- trailing comment; here too
                ALTER TABLE a ADD COLUMN y TEXT;      -- another
                CREATE TABLE b (
                  z TEXT -- inside
                );
                """);
        assertThat(parts).hasSize(3);
        assertThat(parts.get(1)).isEqualTo("ALTER TABLE a ADD COLUMN y TEXT");
        assertThat(parts.get(2)).contains("CREATE TABLE b").doesNotContain("inside");
    }

    @Test
    void everyScriptSplitsIntoStatementsThatEachDoOneThing() {
        for (String script : Migrations.SCRIPTS) {
            for (String statement : Migrations.statements(Database.resource(script))) {
                assertThat(statement.strip()).as(script).doesNotContain(";");
            }
        }
    }
}
