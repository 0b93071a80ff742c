import journal from './meta/_journal.json';
import m0000 from './0000_init.sql';
import m0001 from './0001_inbound_address_index.sql';
import m0002 from './0002_outbox_provider_id_partial.sql';
import m0003 from './0003_canned_replies.sql';
import m0004 from './0004_ticket_message_search.sql';
import m0005 from './0005_ticket_sla_and_sorts.sql';
import m0006 from './0006_ticket_sla_backfill.sql';
import m0007 from './0007_staff_events.sql';
import m0008 from './0008_ticket_search_by_ticket.sql';
import m0009 from './0009_announcement_delivery.sql';
import m0010 from './0010_outbox_media.sql';
import m0011 from './0011_announcement_source_key.sql';
import m0012 from './0012_outbox_status_order.sql';
import m0013 from './0013_outbox_unsent_by_address.sql';
import m0014 from './0014_otp_codes_requested_by.sql';
import m0015 from './0015_inbound_dedupe_pruning.sql';
import m0016 from './0016_staff_chat_alerts.sql';
import m0017 from './0017_parent_sms_segments_and_rating_comment.sql';
import m0018 from './0018_desk_reads_and_ticket_indexes.sql';
import m0019 from './0019_outbox_ticket_message.sql';
import m0020 from './0020_flood_pause_uncounted.sql';
import m0021 from './0021_outbox_quoted.sql';
import m0022 from './0022_reports_and_job_runs.sql';
import m0023 from './0023_school_events.sql';
import m0024 from './0024_report_durations.sql';
import m0025 from './0025_outbox_put_back.sql';

  export default {
    journal,
    migrations: {
      m0000,
m0001,
m0002,
m0003,
m0004,
m0005,
m0006,
m0007,
m0008,
m0009,
m0010,
m0011,
m0012,
m0013,
m0014,
m0015,
m0016,
m0017,
m0018,
m0019,
m0020,
m0021,
m0022,
m0023,
m0024,
m0025
    }
  }
  