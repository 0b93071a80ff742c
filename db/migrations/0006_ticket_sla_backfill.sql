-- Tickets from before the SLA: due one calendar day after creation (urgent: two hours). Working
-- hours are not known in SQL; new tickets get the exact due time from src/domain/sla.ts.
UPDATE `tickets` SET `first_response_due_at` = `created_at` + (CASE WHEN `priority` = 'urgent' THEN 2 ELSE 24 END) * 3600000 WHERE `first_response_due_at` IS NULL;
