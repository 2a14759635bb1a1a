package recommend

// SetSmallList sets the length up to which the pass scans lists instead of
// building maps, and returns a function that restores it: tests force the
// maps of a large case on a case of usual size.
func SetSmallList(n int) (restore func()) {
	saved := smallList
	smallList = n
	return func() { smallList = saved }
}

// ComparePaths is comparePaths, the order of findings.
var ComparePaths = comparePaths

// AppendMonth is appendMonth, the month an aggregate counts a case in.
var AppendMonth = appendMonth

// MonthLayout is the layout appendMonth stands for.
const MonthLayout = monthLayout
