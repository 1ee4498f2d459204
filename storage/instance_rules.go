package storage

import (
	"context"
	"fmt"
)

// Limits on the instance's rules.
const (
	maxInstanceRules      = 30
	maxInstanceRuleLength = 300
)

// InstanceRules returns the instance's rules in their order.
func (db *DB) InstanceRules(ctx context.Context) ([]string, error) {
	var rules []string
	err := db.read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT text FROM instance_rules ORDER BY position`)
		if err != nil {
			return fmt.Errorf("instance rules: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var text string
			if err := rows.Scan(&text); err != nil {
				return err
			}
			rules = append(rules, text)
		}
		return rows.Err()
	})
	return rules, err
}

// SetInstanceRules replaces the instance's rules with the ones given, in
// order; blank ones are dropped. Only admins may (byAdminID as for
// SuspendMember).
func (db *DB) SetInstanceRules(ctx context.Context, byAdminID string, rules []string) ([]string, error) {
	var kept []string
	for _, r := range rules {
		r = cleanLine(r, maxInstanceRuleLength+1)
		if r == "" {
			continue
		}
		if len([]rune(r)) > maxInstanceRuleLength {
			return nil, Errorf(EInvalid, "Rule %d is longer than %d characters; say it more briefly.", len(kept)+1, maxInstanceRuleLength)
		}
		kept = append(kept, r)
	}
	if len(kept) > maxInstanceRules {
		return nil, Errorf(EInvalid, "An instance may have at most %d rules.", maxInstanceRules)
	}
	err := db.write(ctx, func(tx *Tx) error {
		if err := tx.mustAdminister(ctx, byAdminID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM instance_rules`); err != nil {
			return fmt.Errorf("clear rules: %w", err)
		}
		for i, r := range kept {
			if _, err := tx.ExecContext(ctx, `INSERT INTO instance_rules (position, text) VALUES (?, ?)`, i+1, r); err != nil {
				return fmt.Errorf("insert rule: %w", err)
			}
		}
		return nil
	})
	return kept, err
}
