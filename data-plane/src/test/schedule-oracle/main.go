// Writes schedule specs with the times Temporal's own server computes for them, one JSON object a line, for
// Aeon's ScheduleSpecOracleTest. Run: go run . > temporal-oracle.jsonl (see README.md beside this file).
package main

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"strconv"
	"strings"
	"time"

	schedulepb "go.temporal.io/api/schedule/v1"
	"go.temporal.io/server/service/worker/scheduler"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/timestamppb"
)

type oracleCase struct {
	Spec      json.RawMessage `json:"spec"`
	After     string          `json:"after"`
	Seed      string          `json:"seed"`
	Error     string          `json:"error,omitempty"`
	Canonical json.RawMessage `json:"canonical,omitempty"`
	Times     [][2]string     `json:"times,omitempty"`
}

var zones = []string{"UTC", "", "US/Pacific", "America/New_York", "Europe/London", "Europe/Berlin",
	"Australia/Sydney", "Australia/Lord_Howe", "America/Havana", "Asia/Kolkata", "America/Sao_Paulo",
	"Pacific/Apia", "Asia/Tokyo", "Europe/Dublin", "Mars/Olympus"}

// Local times near DST transitions (and a few ordinary ones), as starting points.
var transitions = []string{
	"2022-03-13T10:00:00Z", "2022-11-06T09:00:00Z", // US/Pacific
	"2021-03-14T07:00:00Z", "2021-11-07T06:00:00Z", // America/New_York
	"2022-03-27T01:00:00Z", "2022-10-30T01:00:00Z", // Europe/London and Berlin
	"2022-04-02T16:00:00Z", "2022-10-01T16:00:00Z", // Australia/Sydney
	"2022-04-02T15:00:00Z", "2022-10-01T15:30:00Z", // Lord Howe
	"2022-03-13T05:00:00Z", "2022-11-06T05:00:00Z", // Havana
	"2018-11-04T03:00:00Z", "2019-02-17T02:00:00Z", // Sao Paulo
	"2011-12-30T10:00:00Z", // Apia skips Dec 30 2011
	"2024-02-28T12:00:00Z", "2024-02-29T23:59:59Z", "2023-02-28T23:00:00Z", "2099-12-31T20:00:00Z",
}

var secondExprs = []string{"", "0", "*", "*/15", "30", "5,55", "0-10/5", "59", "10-20"}
var minuteExprs = []string{"", "0", "*", "*/20", "5,9", "30", "0-59/7", "15-45/15", "33,44", "59"}
var hourExprs = []string{"", "*", "0", "1", "2", "3", "*/2", "5,7", "0-23/6", "12-14", "1-3", "23", "9-17"}
var domExprs = []string{"", "*", "1", "2/2", "29", "30", "31", "15", "1-7", "28-31", "1,15"}
var monthExprs = []string{"", "*", "2", "feb", "Jan", "Sept", "Mar-Jun", "*/3", "December", "2,4,6"}
var yearExprs = []string{"", "", "", "*", "2022", "2022-2024", "2024,2028", "2023/2", "2100"}
var dowExprs = []string{"", "", "*", "0", "7", "sun", "mon-fri", "Wed-Thurs", "6,7", "1-7/2", "5-7", "Sa"}
var badExprs = []string{"L", "0", "13", "8", "x", "1999", "5/", "1-5-7", "2/3/5", "18-13", "133", "*/0", "1,", "-1", "+5", "*/x"}

var cronStrings = []string{"@daily", "@hourly", "@weekly", "@monthly", "@yearly", "@annually", "@midnight",
	"@every 90m", "@every 5h/45m", "@every 1d", "@every 36h/1.5h", "@every 1.5d", "@every 45s/10s", "@every 0s",
	"@every 1h/2h", "@every", "@every x", "@every 10", "@every 3q", "@every 1.5h30m/0.25h", "@every 2d/1d12h",
	"* * * *", "1 2 3 4 5 6 7 8", "0 12 * * mon-fri # weekdays",
	"30 2 * * *", "33 33 2 * * * *", "*/20 1-3 * * *", "0 0 29 2 *", "0 0 31 * *", "15 10 L * *",
	"5,9 */2 * * *", "0 0 1 1 * 2024", "0 1 2 3 4 1999", "0 30 1 * * sun", "0 0 29 2 * 2024-2032",
	"0 9-17/2 * * mon-fri", "*/10 * * * * *", "0 0 12 * * 7 2022-2030", "15 3 * * 6,0", "0 8 1-7 * mon"}

func pick(r *rand.Rand, xs []string) string { return xs[r.Intn(len(xs))] }

// field picks a valid expression, or now and then one Temporal refuses
func field(r *rand.Rand, xs []string) string {
	if r.Intn(60) == 0 {
		return pick(r, badExprs)
	}
	return pick(r, xs)
}

func calendar(r *rand.Rand) *schedulepb.CalendarSpec {
	return &schedulepb.CalendarSpec{Second: field(r, secondExprs), Minute: field(r, minuteExprs),
		Hour: field(r, hourExprs), DayOfMonth: field(r, domExprs), Month: field(r, monthExprs),
		Year: field(r, yearExprs), DayOfWeek: field(r, dowExprs)}
}

func ranges(r *rand.Rand, lo, hi int32) []*schedulepb.Range {
	var out []*schedulepb.Range
	for n := r.Intn(3); n > 0; n-- {
		start := lo + r.Int31n(hi-lo+1)
		rg := &schedulepb.Range{Start: start}
		if r.Intn(2) == 0 {
			rg.End = start + r.Int31n(hi-start+1)
		}
		if r.Intn(3) == 0 {
			rg.Step = 1 + r.Int31n(5)
		}
		if r.Intn(40) == 0 {
			rg.End = hi + 1 // out of range: an error
		}
		out = append(out, rg)
	}
	if len(out) == 0 && r.Intn(4) != 0 {
		out = []*schedulepb.Range{{Start: lo, End: hi}}
	}
	return out
}

func structured(r *rand.Rand) *schedulepb.StructuredCalendarSpec {
	s := &schedulepb.StructuredCalendarSpec{
		Second: []*schedulepb.Range{{Start: 0}}, Minute: ranges(r, 0, 59), Hour: ranges(r, 0, 23),
		DayOfMonth: ranges(r, 1, 31), Month: ranges(r, 1, 12), DayOfWeek: ranges(r, 0, 6),
	}
	if r.Intn(3) == 0 {
		s.Year = ranges(r, 2000, 2100)
	}
	if r.Intn(5) == 0 {
		s.Second = ranges(r, 0, 59)
	}
	return s
}

func duration(r *rand.Rand, max time.Duration) *durationpb.Duration {
	return durationpb.New(time.Duration(r.Int63n(int64(max))).Truncate(time.Millisecond))
}

func randomSpec(r *rand.Rand, zone string) *schedulepb.ScheduleSpec {
	spec := &schedulepb.ScheduleSpec{TimezoneName: zone}
	for n := r.Intn(3); n > 0; n-- {
		spec.Calendar = append(spec.Calendar, calendar(r))
	}
	if r.Intn(3) == 0 {
		for n := 1 + r.Intn(2); n > 0; n-- {
			cs := pick(r, cronStrings)
			switch r.Intn(8) {
			case 0:
				cs = "CRON_TZ=" + zone + " " + cs
			case 1:
				if r.Intn(4) == 0 {
					cs = "TZ=" + pick(r, zones) + " " + cs
				} else {
					cs = "TZ=" + zone + " " + cs
				}
			}
			spec.CronString = append(spec.CronString, cs)
		}
		if r.Intn(3) == 0 {
			spec.TimezoneName = ""
		}
	}
	if r.Intn(3) == 0 {
		spec.StructuredCalendar = append(spec.StructuredCalendar, structured(r))
	}
	if r.Intn(3) == 0 {
		for n := 1 + r.Intn(2); n > 0; n-- {
			units := []time.Duration{time.Second, time.Minute, time.Hour, 24 * time.Hour}
			iv := time.Duration(1+r.Intn(100)) * units[r.Intn(len(units))]
			if r.Intn(30) == 0 {
				iv = 500 * time.Millisecond // too small: an error
			}
			spec.Interval = append(spec.Interval, &schedulepb.IntervalSpec{Interval: durationpb.New(iv)})
			if r.Intn(2) == 0 {
				spec.Interval[len(spec.Interval)-1].Phase = durationpb.New(time.Duration(r.Int63n(int64(iv) + int64(iv)/20)))
			}
		}
	}
	if len(spec.Calendar)+len(spec.CronString)+len(spec.StructuredCalendar)+len(spec.Interval) == 0 {
		spec.Interval = []*schedulepb.IntervalSpec{{Interval: durationpb.New(time.Duration(1+r.Intn(7200)) * time.Second)}}
	}
	// exclusions never cover every second, so Temporal's search always ends soon
	if r.Intn(4) == 0 {
		spec.ExcludeCalendar = append(spec.ExcludeCalendar, &schedulepb.CalendarSpec{
			Second: "*", Minute: "*", Hour: pick(r, []string{"12-14", "1-3", "0", "9-17"}),
			DayOfWeek: pick(r, []string{"", "sat,sun", "mon"})})
	}
	if r.Intn(4) == 0 {
		spec.ExcludeStructuredCalendar = append(spec.ExcludeStructuredCalendar, &schedulepb.StructuredCalendarSpec{
			Second: []*schedulepb.Range{{Start: 0, End: 59}}, Minute: []*schedulepb.Range{{Start: 0, End: 59}},
			Hour: []*schedulepb.Range{{Start: 0, End: 23}}, DayOfMonth: ranges(r, 1, 31)[:0:0],
			Month: []*schedulepb.Range{{Start: 1, End: 12}}, DayOfWeek: []*schedulepb.Range{{Start: 0, End: 6}}})
		ex := spec.ExcludeStructuredCalendar[0]
		ex.DayOfMonth = []*schedulepb.Range{{Start: int32(1 + r.Intn(28)), End: 0}}
	}
	return spec
}

func startAfter(r *rand.Rand) time.Time {
	if r.Intn(2) == 0 {
		t, _ := time.Parse(time.RFC3339, pick(r, transitions))
		return t.Add(time.Duration(r.Intn(6*3600)-3*3600) * time.Second)
	}
	base := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	t := time.Unix(base+r.Int63n(6*365*86400), 0).UTC()
	if r.Intn(4) == 0 {
		t = t.Add(time.Duration(r.Intn(1000)) * time.Millisecond)
	}
	return t
}

// DST moves of each kind: west and east of UTC, whole and half hours, at midnight, a skipped day.
var dstMoves = []struct{ zone, at string }{
	{"US/Pacific", "2022-03-13T10:00:00Z"}, {"US/Pacific", "2022-11-06T09:00:00Z"},
	{"America/New_York", "2021-03-14T07:00:00Z"}, {"America/New_York", "2021-11-07T06:00:00Z"},
	{"Europe/London", "2022-03-27T01:00:00Z"}, {"Europe/London", "2022-10-30T01:00:00Z"},
	{"Europe/Berlin", "2022-03-27T01:00:00Z"}, {"Europe/Berlin", "2022-10-30T01:00:00Z"},
	{"Europe/Dublin", "2022-03-27T01:00:00Z"}, {"Europe/Dublin", "2022-10-30T01:00:00Z"},
	{"Australia/Sydney", "2022-04-02T16:00:00Z"}, {"Australia/Sydney", "2022-10-01T16:00:00Z"},
	{"Australia/Lord_Howe", "2022-04-02T15:00:00Z"}, {"Australia/Lord_Howe", "2022-10-01T15:30:00Z"},
	{"America/Havana", "2022-03-13T05:00:00Z"}, {"America/Havana", "2022-11-06T05:00:00Z"},
	{"America/Sao_Paulo", "2018-11-04T03:00:00Z"}, {"America/Sao_Paulo", "2019-02-17T02:00:00Z"},
	{"Pacific/Apia", "2011-12-30T10:00:00Z"}, {"Pacific/Apia", "2011-04-02T14:00:00Z"},
}

// dstSpec is a calendar (or cron string) around the hours DST moves touch.
func dstSpec(r *rand.Rand, zone string) *schedulepb.ScheduleSpec {
	cal := &schedulepb.CalendarSpec{
		Second:    pick(r, []string{"0", "0", "*/30", "15"}),
		Minute:    pick(r, []string{"*/20", "30", "0", "*/7", "0,30", "59", "*", "15,45"}),
		Hour:      pick(r, []string{"*", "0", "1", "2", "3", "1-3", "0-4", "23", "22-23", "2,3"}),
		DayOfWeek: pick(r, []string{"", "*", "sun", "sat", "sat,sun", "fri", "thu-sat"}),
	}
	spec := &schedulepb.ScheduleSpec{TimezoneName: zone, Calendar: []*schedulepb.CalendarSpec{cal}}
	if r.Intn(4) == 0 {
		spec.Interval = []*schedulepb.IntervalSpec{{Interval: durationpb.New(time.Duration(1+r.Intn(90)) * time.Minute)}}
	}
	if r.Intn(5) == 0 {
		spec.Jitter = duration(r, 30*time.Minute)
	}
	return spec
}

func main() {
	r := rand.New(rand.NewSource(envInt("ORACLE_SEED", 15)))
	scale := int(envInt("ORACLE_SCALE", 1))
	builder := scheduler.NewSpecBuilder()
	out := json.NewEncoder(os.Stdout)
	for i := 0; i < scale*3000; i++ {
		zone := pick(r, zones)
		spec := randomSpec(r, zone)
		after := startAfter(r)
		if r.Intn(3) == 0 {
			spec.StartTime = timestamppb.New(after.Add(time.Duration(r.Intn(5*86400)) * time.Second))
		}
		if r.Intn(3) == 0 {
			spec.EndTime = timestamppb.New(after.Add(time.Duration(r.Intn(10*86400)) * time.Second))
		}
		if r.Intn(3) == 0 {
			spec.Jitter = duration(r, 2*time.Hour)
		}
		seed := ""
		if r.Intn(2) == 0 {
			seed = fmt.Sprintf("ns-%d-schedule-%s", i, strings.Repeat("x", r.Intn(40)))
		}
		emit(out, builder, spec, after, seed)
	}
	for i := 0; i < scale*1500; i++ {
		move := dstMoves[r.Intn(len(dstMoves))]
		at, _ := time.Parse(time.RFC3339, move.at)
		after := at.Add(-time.Duration(r.Intn(5*3600)) * time.Second)
		emit(out, builder, dstSpec(r, move.zone), after, "")
	}
	for i := 0; i < scale*1500; i++ {
		emit(out, builder, garbledSpec(r), startAfter(r), "")
	}
}

// Pieces of cron and calendar strings, whole and broken, for specs that test parsing more than searching.
var pieces = []string{"0", "1", "5", "7", "12", "23", "29", "31", "59", "60", "2024", "99999999999", "*", "/", "-",
	",", " ", "  ", "\t", "\u00a0", "\u2003", "#", "@every", "@daily", "@hourly", "@weekly", "TZ=", "CRON_TZ=",
	"UTC", "Europe/Berlin", "x", "mon", "Tues", "SAT", "su", "jan", "Sept", "DECEMBER", "ju", "+", "+3", "-3", ".",
	"1.5h", "5d", "30m", "h", "m", "s", "ms", "\u00b5s", "?", "L", "W"}

func garbled(r *rand.Rand, n int) string {
	var b strings.Builder
	for k := 0; k < n; k++ {
		b.WriteString(pick(r, pieces))
	}
	return b.String()
}

// garbledSpec is a cron string or a calendar field made of random pieces, beside valid ones.
func garbledSpec(r *rand.Rand) *schedulepb.ScheduleSpec {
	spec := &schedulepb.ScheduleSpec{}
	switch r.Intn(3) {
	case 0:
		fields := []string{garbled(r, 1+r.Intn(3)), garbled(r, 1+r.Intn(3)), garbled(r, 1+r.Intn(2)),
			garbled(r, 1+r.Intn(2)), garbled(r, 1+r.Intn(2))}
		spec.CronString = []string{strings.Join(fields, pick(r, []string{" ", " ", "\t", "  "}))}
	case 1:
		spec.CronString = []string{garbled(r, 1+r.Intn(8))}
	default:
		cal := calendar(r)
		switch r.Intn(7) {
		case 0:
			cal.Second = garbled(r, 1+r.Intn(4))
		case 1:
			cal.Minute = garbled(r, 1+r.Intn(4))
		case 2:
			cal.Hour = garbled(r, 1+r.Intn(4))
		case 3:
			cal.DayOfMonth = garbled(r, 1+r.Intn(4))
		case 4:
			cal.Month = garbled(r, 1+r.Intn(4))
		case 5:
			cal.Year = garbled(r, 1+r.Intn(4))
		default:
			cal.DayOfWeek = garbled(r, 1+r.Intn(4))
		}
		spec.Calendar = []*schedulepb.CalendarSpec{cal}
	}
	return spec
}

func emit(out *json.Encoder, builder *scheduler.SpecBuilder, spec *schedulepb.ScheduleSpec, after time.Time, seed string) {
	specJSON, _ := protojson.Marshal(spec)
	c := oracleCase{Spec: specJSON, After: after.Format(time.RFC3339Nano), Seed: seed}
	cs, err := builder.NewCompiledSpec(spec)
	if err != nil {
		c.Error = err.Error()
	} else {
		canonical := cs.CanonicalForm()
		scheduler.CleanSpec(canonical)
		c.Canonical, _ = protojson.Marshal(canonical)
		t := after
		for n := 0; n < 12; n++ {
			res := cs.GetNextTime(seed, t)
			if res.Next.IsZero() {
				break
			}
			c.Times = append(c.Times, [2]string{res.Nominal.Format(time.RFC3339Nano), res.Next.Format(time.RFC3339Nano)})
			t = res.Next
		}
	}
	if err := out.Encode(c); err != nil {
		panic(err)
	}
}

// envInt reads a number from the environment: ORACLE_SEED and ORACLE_SCALE make other and larger case sets for
// a one-off comparison; the committed file is the default.
func envInt(name string, fallback int64) int64 {
	if v, err := strconv.ParseInt(os.Getenv(name), 10, 64); err == nil {
		return v
	}
	return fallback
}
