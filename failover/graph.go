package failover

import (
	"fmt"
	"slices"
)

// checkGraph verifies that step IDs are unique, that every dependency names a
// step of the plan, and that the dependencies form no cycle. It returns the
// steps in a topological order (stable: plan order among independent steps).
func checkGraph(steps []*Step) ([]*Step, error) {
	byID := make(map[string]*Step, len(steps))
	for _, s := range steps {
		if s.ID == "" {
			return nil, fmt.Errorf("%w: a step has no ID", ErrInvalidPlan)
		}
		if _, dup := byID[s.ID]; dup {
			return nil, fmt.Errorf("%w: duplicate step %q", ErrInvalidPlan, s.ID)
		}
		byID[s.ID] = s
	}
	for _, s := range steps {
		for _, d := range s.DependsOn {
			if _, ok := byID[d]; !ok {
				return nil, fmt.Errorf("%w: step %q depends on unknown step %q", ErrInvalidPlan, s.ID, d)
			}
		}
	}
	const (
		unseen = iota
		visiting
		visited
	)
	state := make(map[string]int, len(steps))
	order := make([]*Step, 0, len(steps))
	var visit func(s *Step, path []string) error
	visit = func(s *Step, path []string) error {
		switch state[s.ID] {
		case visited:
			return nil
		case visiting:
			return fmt.Errorf("%w: dependency cycle %v", ErrInvalidPlan, append(path, s.ID))
		}
		state[s.ID] = visiting
		for _, d := range s.DependsOn {
			if err := visit(byID[d], append(slices.Clip(path), s.ID)); err != nil {
				return err
			}
		}
		state[s.ID] = visited
		order = append(order, s)
		return nil
	}
	for _, s := range steps {
		if err := visit(s, nil); err != nil {
			return nil, err
		}
	}
	return order, nil
}
