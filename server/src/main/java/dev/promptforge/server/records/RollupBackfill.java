package dev.promptforge.server.records;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** On start, fills the hourly rollups of records stored before there were rollups (once). */
@Component
class RollupBackfill implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(RollupBackfill.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    RollupBackfill(JdbcTemplate jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    @Override
    public void run(ApplicationArguments args) {
        Integer hours =
                transactions.execute(status -> jdbc.execute((ConnectionCallback<Integer>) RecordRollups::backfill));
        if (hours != null && hours > 0) {
            log.info("Filled the rollups of {} hours of records", hours);
        }
    }
}
