package domain

import (
	"regexp"
	"strconv"
)

// GB/T 4754-2017 sections and the divisions (两位数大类) each holds. A
// code is a section letter optionally followed by a division, group or
// class whose first two digits are a division of that section.
var industrySections = map[byte][2]int{
	'A': {1, 5}, 'B': {6, 12}, 'C': {13, 43}, 'D': {44, 46}, 'E': {47, 50},
	'F': {51, 52}, 'G': {53, 60}, 'H': {61, 62}, 'I': {63, 65}, 'J': {66, 69},
	'K': {70, 70}, 'L': {71, 72}, 'M': {73, 75}, 'N': {76, 79}, 'O': {80, 82},
	'P': {83, 83}, 'Q': {84, 85}, 'R': {86, 90}, 'S': {91, 96}, 'T': {97, 97},
}

var industryShape = regexp.MustCompile(`^[A-T](\d{2}|\d{3}|\d{4})?$`)

// ValidIndustry reports whether code is a GB/T 4754-2017 section, or a
// division/group/class inside its section.
func ValidIndustry(code string) bool {
	if !industryShape.MatchString(code) {
		return false
	}
	if len(code) == 1 {
		return true
	}
	div, _ := strconv.Atoi(code[1:3])
	r := industrySections[code[0]]
	return div >= r[0] && div <= r[1]
}
