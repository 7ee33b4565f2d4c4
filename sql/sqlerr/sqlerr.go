package sqlerr

import (
	"context"
	"errors"
	"fmt"
)

// Code is a five-character SQLSTATE.
type Code string

// SQLSTATEs used by sluice, named after PostgreSQL's errcodes.txt.
const (
	SuccessfulCompletion            Code = "00000"
	Warning                         Code = "01000"
	ActiveSQLTransaction            Code = "25001"
	NoActiveSQLTransaction          Code = "25P01"
	InFailedSQLTransaction          Code = "25P02"
	InvalidTransactionState         Code = "25000"
	ReadOnlySQLTransaction          Code = "25006"
	IdleInTransactionTimeout        Code = "25P03"
	ConnectionException             Code = "08000"
	ProtocolViolation               Code = "08P01"
	InvalidAuthorization            Code = "28000"
	InvalidPassword                 Code = "28P01"
	InvalidCatalogName              Code = "3D000"
	InvalidCursorName               Code = "34000"
	InvalidSQLStatementName         Code = "26000"
	DuplicateCursor                 Code = "42P03"
	DuplicatePreparedStatement      Code = "42P05"
	DuplicateObject                 Code = "42710"
	DuplicateTable                  Code = "42P07"
	UndefinedTable                  Code = "42P01"
	UndefinedColumn                 Code = "42703"
	UndefinedFunction               Code = "42883"
	UndefinedObject                 Code = "42704"
	UndefinedParameter              Code = "42P02"
	AmbiguousColumn                 Code = "42702"
	AmbiguousFunction               Code = "42725"
	DatatypeMismatch                Code = "42804"
	IndeterminateDatatype           Code = "42P18"
	SyntaxError                     Code = "42601"
	InsufficientPrivilege           Code = "42501"
	InvalidParameterValue           Code = "22023"
	InvalidTextRepresentation       Code = "22P02"
	InvalidBinaryRepresentation     Code = "22P03"
	InvalidDatetimeFormat           Code = "22007"
	DatetimeFieldOverflow           Code = "22008"
	NumericValueOutOfRange          Code = "22003"
	DivisionByZero                  Code = "22012"
	StringDataRightTruncation       Code = "22001"
	NotNullViolation                Code = "23502"
	CharacterNotInRepertoire        Code = "22021"
	BadCopyFileFormat               Code = "22P04"
	InvalidEscapeSequence           Code = "22025"
	CantChangeRuntimeParam          Code = "55P02"
	FeatureNotSupported             Code = "0A000"
	ProgramLimitExceeded            Code = "54000"
	QueryCanceled                   Code = "57014"
	AdminShutdown                   Code = "57P01"
	TooManyConnections              Code = "53300"
	OutOfMemory                     Code = "53200"
	InternalError                   Code = "XX000"
	InvalidRoleSpecification        Code = "0P000"
	WrongObjectType                 Code = "42809"
	InvalidColumnReference          Code = "42P10"
	GroupingError                   Code = "42803"
	CardinalityViolation            Code = "21000"
	InvalidAuthorizationSpec        Code = "28000"
	ObjectNotInPrerequisiteState    Code = "55000"
	InvalidCursorState              Code = "24000"
	ConfigFileError                 Code = "F0000"
	InvalidName                     Code = "42602"
	InvalidTransactionTermination   Code = "2D000"
	CannotCoerce                    Code = "42846"
	WindowingError                  Code = "42P20"
	InvalidArgumentForNtile         Code = "22014"
	InvalidArgumentForNthValue      Code = "22016"
	InvalidPrecedingOrFollowingSize Code = "22013"
	InvalidArgumentForPowerFunction Code = "2201F"
	InvalidArgumentForLogarithm     Code = "2201E"
	SubstringError                  Code = "22011"
	InvalidRegularExpression        Code = "2201B"
	InvalidTablesampleArgument      Code = "2202H"
	InvalidTablesampleRepeat        Code = "2202G"
	DuplicateAlias                  Code = "42712"
	InvalidRecursion                Code = "42P19"
	IntervalFieldOverflow           Code = "22015"
	ObjectInUse                     Code = "55006"
	InvalidTableDefinition          Code = "42P16"
	DuplicateColumn                 Code = "42701"
	InvalidCursorDefinition         Code = "42P11"
	InvalidSavepointSpec            Code = "3B001"
	DependentObjectsStillExist      Code = "2BP01"
	NullValueNotAllowed             Code = "22004"
	InvalidRowCountInLimit          Code = "2201W"
	InvalidRowCountInOffset         Code = "2201X"
	IOError                         Code = "58030"
	UndefinedFile                   Code = "58P01"
	SerializationFailure            Code = "40001"
	DuplicateSchema                 Code = "42P06"
	InvalidSchemaName               Code = "3F000"
	DataCorrupted                   Code = "XX001"
	ReservedName                    Code = "42939"
)

// Severity is the non-localized severity of an ErrorResponse or NoticeResponse.
type Severity string

// Severities PostgreSQL sends.
const (
	SeverityError   Severity = "ERROR"
	SeverityFatal   Severity = "FATAL"
	SeverityWarning Severity = "WARNING"
	SeverityNotice  Severity = "NOTICE"
	SeverityInfo    Severity = "INFO"
)

// Error is a SQL error with its SQLSTATE, as the client will see it.
type Error struct {
	Code     Code
	Severity Severity // empty means ERROR
	Message  string
	Detail   string
	Hint     string
	Position int // 1-based character position in the statement; 0 if none
	cause    error
}

// Error implements error.
func (e *Error) Error() string {
	return e.Message
}

// Unwrap returns the underlying cause, if any.
func (e *Error) Unwrap() error { return e.cause }

// SeverityOrDefault returns the severity, ERROR when unset.
func (e *Error) SeverityOrDefault() Severity {
	if e.Severity == "" {
		return SeverityError
	}
	return e.Severity
}

// New returns an error with a code and a formatted message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an error with a code and message whose cause is err.
func Wrap(err error, code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), cause: err}
}

// Unsupported returns a 0A000 error for a feature sluice does not have.
func Unsupported(format string, args ...any) *Error {
	return New(FeatureNotSupported, format, args...)
}

// Internal returns an XX000 error; its message names the failure for logs.
func Internal(format string, args ...any) *Error {
	return New(InternalError, format, args...)
}

// WithHint returns a copy of e with a hint.
func (e *Error) WithHint(format string, args ...any) *Error {
	c := *e
	c.Hint = fmt.Sprintf(format, args...)
	return &c
}

// WithDetail returns a copy of e with a detail.
func (e *Error) WithDetail(format string, args ...any) *Error {
	c := *e
	c.Detail = fmt.Sprintf(format, args...)
	return &c
}

// WithPosition returns a copy of e pointing at a 1-based character position.
func (e *Error) WithPosition(pos int) *Error {
	c := *e
	c.Position = pos
	return &c
}

// WithSeverity returns a copy of e with a severity (FATAL for connection-ending errors).
func (e *Error) WithSeverity(s Severity) *Error {
	c := *e
	c.Severity = s
	return &c
}

// From returns the *Error in err's chain. Context cancellation becomes 57014;
// anything else without a code becomes XX000 with err's text.
func From(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	if errors.Is(err, context.Canceled) {
		return Wrap(err, QueryCanceled, "canceling statement due to user request")
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return Wrap(err, QueryCanceled, "canceling statement due to statement timeout")
	}
	return Wrap(err, InternalError, "internal error: %v", err)
}

// CodeOf returns the SQLSTATE of err (XX000 if it has none).
func CodeOf(err error) Code {
	return From(err).Code
}

// Notice is a NoticeResponse: a warning or notice attached to a statement.
type Notice struct {
	Severity Severity
	Code     Code
	Message  string
	Detail   string
	Hint     string
}
