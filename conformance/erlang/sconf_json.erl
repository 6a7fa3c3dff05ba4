%% A small JSON decoder (RFC 8259) for scenario files. OTP 25 has no json module.
%% Objects become maps with binary keys, arrays lists, strings binaries (UTF-8),
%% numbers integers or floats, and true/false/null the atoms true/false/null.
%% Errors are thrown as {json_error, Line, Column, Message}.
-module(sconf_json).
-export([decode/1, decode_file/1]).

decode_file(File) ->
    case file:read_file(File) of
        {ok, Bin} -> decode(Bin);
        {error, Reason} -> throw({json_error, 0, 0, io_lib:format("cannot read ~ts: ~p", [File, Reason])})
    end.

decode(Bin) when is_binary(Bin) ->
    {Value, Rest} = value(skip_ws(Bin, Bin), Bin),
    case skip_ws(Rest, Bin) of
        <<>> -> Value;
        More -> err(More, Bin, "unexpected text after the JSON value")
    end.

value(<<"{", R/binary>>, All) -> object(skip_ws(R, All), All, #{});
value(<<"[", R/binary>>, All) -> array(skip_ws(R, All), All, []);
value(<<"\"", R/binary>>, All) -> string(R, All, []);
value(<<"true", R/binary>>, _) -> {true, R};
value(<<"false", R/binary>>, _) -> {false, R};
value(<<"null", R/binary>>, _) -> {null, R};
value(<<C, _/binary>> = B, All) when C =:= $-; C >= $0, C =< $9 -> number(B, All);
value(<<>> = B, All) -> err(B, All, "unexpected end of input");
value(B, All) -> err(B, All, "unexpected character").

object(<<"}", R/binary>>, _All, Acc) -> {Acc, R};
object(<<"\"", R/binary>>, All, Acc) ->
    {Key, R1} = string(R, All, []),
    case skip_ws(R1, All) of
        <<":", R2/binary>> ->
            {Val, R3} = value(skip_ws(R2, All), All),
            Acc1 = Acc#{Key => Val},
            case skip_ws(R3, All) of
                <<",", R4/binary>> ->
                    case skip_ws(R4, All) of
                        <<"\"", R5/binary>> -> object(<<"\"", R5/binary>>, All, Acc1);
                        Other -> err(Other, All, "expected a key after ','")
                    end;
                <<"}", R4/binary>> -> {Acc1, R4};
                Other -> err(Other, All, "expected ',' or '}'")
            end;
        Other -> err(Other, All, "expected ':'")
    end;
object(B, All, _) -> err(B, All, "expected a key or '}'").

array(<<"]", R/binary>>, _All, Acc) -> {lists:reverse(Acc), R};
array(B, All, Acc) ->
    {Val, R1} = value(B, All),
    case skip_ws(R1, All) of
        <<",", R2/binary>> -> array_next(skip_ws(R2, All), All, [Val | Acc]);
        <<"]", R2/binary>> -> {lists:reverse([Val | Acc]), R2};
        Other -> err(Other, All, "expected ',' or ']'")
    end.

array_next(<<"]", _/binary>> = B, All, _) -> err(B, All, "trailing ',' in array");
array_next(B, All, Acc) -> array(B, All, Acc).

string(<<"\"", R/binary>>, _All, Acc) -> {unicode:characters_to_binary(lists:reverse(Acc)), R};
string(<<"\\", E, R/binary>> = B, All, Acc) ->
    case E of
        $" -> string(R, All, [$" | Acc]);
        $\\ -> string(R, All, [$\\ | Acc]);
        $/ -> string(R, All, [$/ | Acc]);
        $b -> string(R, All, [$\b | Acc]);
        $f -> string(R, All, [$\f | Acc]);
        $n -> string(R, All, [$\n | Acc]);
        $r -> string(R, All, [$\r | Acc]);
        $t -> string(R, All, [$\t | Acc]);
        $u -> unicode_escape(R, B, All, Acc);
        _ -> err(B, All, "invalid escape")
    end;
string(<<C, _/binary>> = B, All, _) when C < 16#20 -> err(B, All, "control character in string");
string(<<C/utf8, R/binary>>, All, Acc) -> string(R, All, [C | Acc]);
string(B, All, _) -> err(B, All, "unterminated string or invalid UTF-8").

unicode_escape(<<H:4/binary, R/binary>>, B, All, Acc) ->
    case catch binary_to_integer(H, 16) of
        Hi when is_integer(Hi), Hi >= 16#D800, Hi =< 16#DBFF ->
            case R of
                <<"\\u", L:4/binary, R2/binary>> ->
                    case catch binary_to_integer(L, 16) of
                        Lo when is_integer(Lo), Lo >= 16#DC00, Lo =< 16#DFFF ->
                            string(R2, All, [16#10000 + ((Hi - 16#D800) bsl 10) + (Lo - 16#DC00) | Acc]);
                        _ -> err(B, All, "invalid surrogate pair")
                    end;
                _ -> err(B, All, "lone surrogate")
            end;
        Cp when is_integer(Cp) -> string(R, All, [Cp | Acc]);
        _ -> err(B, All, "invalid \\u escape")
    end;
unicode_escape(_, B, All, _) -> err(B, All, "short \\u escape").

number(B, All) ->
    {IntPart, R1} = take_int(B),
    {Frac, R2} = case R1 of
                     <<".", D, _/binary>> when D >= $0, D =< $9 ->
                         <<".", R1a/binary>> = R1,
                         {F, Ra} = digits(R1a, []),
                         {"." ++ F, Ra};
                     _ -> {"", R1}
                 end,
    {Exp, R3} = case R2 of
                    <<E, R2a/binary>> when E =:= $e; E =:= $E ->
                        {Sign, R2b} = case R2a of
                                          <<"-", X/binary>> -> {"-", X};
                                          <<"+", X/binary>> -> {"", X};
                                          _ -> {"", R2a}
                                      end,
                        case digits(R2b, []) of
                            {"", _} -> err(R2, All, "invalid exponent");
                            {Ds, Rb} -> {"e" ++ Sign ++ Ds, Rb}
                        end;
                    _ -> {"", R2}
                end,
    case {IntPart, Frac, Exp} of
        {"", _, _} -> err(B, All, "invalid number");
        {"-", _, _} -> err(B, All, "invalid number");
        {I, "", ""} -> {list_to_integer(I), R3};
        {I, "", E1} -> {list_to_float(I ++ ".0" ++ E1), R3};
        {I, F1, E1} -> {list_to_float(I ++ F1 ++ E1), R3}
    end.

take_int(<<"-", R/binary>>) -> {Ds, R1} = digits(R, []), {"-" ++ Ds, R1};
take_int(B) -> digits(B, []).

digits(<<D, R/binary>>, Acc) when D >= $0, D =< $9 -> digits(R, [D | Acc]);
digits(R, Acc) -> {lists:reverse(Acc), R}.

skip_ws(<<C, R/binary>>, All) when C =:= $\s; C =:= $\t; C =:= $\n; C =:= $\r -> skip_ws(R, All);
skip_ws(B, _) -> B.

%% Line and column (1-based) of the position where Rest begins inside All.
err(Rest, All, Msg) ->
    Offset = byte_size(All) - byte_size(Rest),
    Before = binary:part(All, 0, Offset),
    Lines = binary:split(Before, <<"\n">>, [global]),
    Line = length(Lines),
    Col = byte_size(lists:last(Lines)) + 1,
    throw({json_error, Line, Col, Msg}).
