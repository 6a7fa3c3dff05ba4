%% Scenario loading and validation (docs/SCENARIO-FORMAT.md).
%%
%% The tree becomes a map of config nodes keyed by an integer node id (nid). A node
%% describes a child spec (and, for supervisors, flags and children); its runtime path is
%% not stored, because instances of a simple_one_for_one supervisor template share one
%% node. Invalid scenarios are reported as {invalid, Message} (exit code 2 in the driver).
-module(sconf_scen).
-export([load/1, node_from_json/4, reason/1, path_join/2, split_path/1]).

load(File) ->
    try
        Json = sconf_json:decode_file(File),
        is_map(Json) orelse invalid("the scenario is not a JSON object"),
        Tree = maps:get(<<"tree">>, Json, undefined),
        is_map(Tree) orelse invalid("missing \"tree\" object"),
        {RootNid, Nodes, Next} = node_from_json(Tree, 0, #{}, root),
        Root = maps:get(RootNid, Nodes),
        maps:get(id, Root) =/= undefined orelse invalid("the root has no id"),
        validate_tree(RootNid, Nodes),
        Steps0 = maps:get(<<"steps">>, Json, []),
        is_list(Steps0) orelse invalid("\"steps\" is not a list"),
        Steps = [step(S, I) || {S, I} <- lists:zip(Steps0, lists:seq(1, length(Steps0)))],
        check_times(Steps, 0),
        Scen = #{name => maps:get(<<"name">>, Json, <<>>), nodes => Nodes, root => RootNid,
                 next_nid => Next, steps => Steps},
        check_step_paths(Scen),
        {ok, Scen}
    catch
        throw:{json_error, L, C, Msg} ->
            {invalid, lists:flatten(io_lib:format("~ts:~p:~p: ~ts", [File, L, C, Msg]))};
        throw:{invalid_scenario, Msg} ->
            {invalid, lists:flatten(io_lib:format("~ts: ~ts", [File, Msg]))}
    end.

invalid(Fmt) -> invalid(Fmt, []).
invalid(Fmt, Args) -> throw({invalid_scenario, lists:flatten(io_lib:format(Fmt, Args))}).

%% ---------------------------------------------------------------------------------------
%% Tree nodes

%% node_from_json(JsonMap, NextNid, Nodes, Role) -> {Nid, Nodes1, NextNid1}
%% Role is root, child or spec (a start_child spec, which OTP itself validates).
node_from_json(J, Nid0, Nodes0, Role) when is_map(J) ->
    Id = case maps:find(<<"id">>, J) of
             {ok, V} when is_binary(V) -> V;
             {ok, V} when is_integer(V) -> integer_to_binary(V);
             {ok, _} when Role =/= spec -> invalid("a child id must be a string");
             {ok, V} -> V;
             error when Role =:= spec -> undefined;
             error -> invalid("a tree node has no id")
         end,
    HasStrategy = maps:is_key(<<"strategy">>, J),
    Type = case maps:find(<<"type">>, J) of
               {ok, T} -> to_atom(T);
               error when HasStrategy; Role =:= root -> supervisor;
               error -> worker
           end,
    Kind = case Type of supervisor -> supervisor; _ -> worker end,
    Spec0 = maps:from_list(
              [{id, Id} || Id =/= undefined] ++
              [{restart, to_atom(R)} || {ok, R} <- [maps:find(<<"restart">>, J)]] ++
              [{shutdown, shutdown_value(S)} || {ok, S} <- [maps:find(<<"shutdown">>, J)]] ++
              [{type, Type} || maps:is_key(<<"type">>, J) orelse HasStrategy] ++
              [{significant, to_atom(S)} || {ok, S} <- [maps:find(<<"significant">>, J)]]),
    Flags = maps:from_list(
              [{strategy, to_atom(S)} || {ok, S} <- [maps:find(<<"strategy">>, J)]] ++
              [{intensity, I} || {ok, I} <- [maps:find(<<"intensity">>, J)]] ++
              [{period, P} || {ok, P} <- [maps:find(<<"period">>, J)]] ++
              [{auto_shutdown, to_atom(A)} || {ok, A} <- [maps:find(<<"auto_shutdown">>, J)]]),
    ChildJs = case maps:get(<<"children">>, J, []) of
                  L when is_list(L) -> L;
                  _ -> invalid("\"children\" of ~ts is not a list", [show(Id)])
              end,
    Kind =:= worker andalso ChildJs =/= [] andalso Role =/= spec
        andalso invalid("worker ~ts has children", [show(Id)]),
    {ChildNids, Nodes1, Next} =
        lists:foldl(fun(CJ, {Acc, Ns, N}) ->
                            {CNid, Ns1, N1} = node_from_json(CJ, N, Ns, child_role(Role)),
                            {[CNid | Acc], Ns1, N1}
                    end, {[], Nodes0, Nid0 + 1}, ChildJs),
    Node = #{nid => Nid0, id => Id, kind => Kind, spec => Spec0, flags => Flags,
             children => lists:reverse(ChildNids), json => J},
    {Nid0, Nodes1#{Nid0 => Node}, Next};
node_from_json(_, _, _, spec) -> throw(bad_spec);
node_from_json(_, _, _, _) -> invalid("a tree node is not an object").

child_role(spec) -> spec;
child_role(_) -> child.

shutdown_value(S) when is_integer(S) -> S;
shutdown_value(S) -> to_atom(S).

to_atom(B) when is_binary(B) -> binary_to_atom(B, utf8);
to_atom(X) -> X.

show(undefined) -> "(no id)";
show(B) when is_binary(B) -> B;
show(X) -> io_lib:format("~p", [X]).

validate_tree(Nid, Nodes) ->
    #{kind := Kind, children := Cs, flags := Flags} = maps:get(Nid, Nodes),
    case Kind of
        worker -> ok;
        supervisor ->
            Ids = [maps:get(id, maps:get(C, Nodes)) || C <- Cs],
            case Ids -- lists:usort(Ids) of
                [] -> ok;
                [Dup | _] -> invalid("duplicate sibling id ~ts", [Dup])
            end,
            [case binary:match(I, [<<"/">>, <<"#">>]) of
                 nomatch -> ok;
                 _ -> invalid("id ~ts contains '/' or '#'", [I])
             end || I <- Ids],
            Auto = maps:get(auto_shutdown, Flags, never),
            Simple = maps:get(strategy, Flags, one_for_one) =:= simple_one_for_one,
            Simple andalso length(Cs) =/= 1
                andalso invalid("simple_one_for_one supervisor ~ts needs exactly one child",
                                [maps:get(id, maps:get(Nid, Nodes))]),
            lists:foreach(
              fun(C) ->
                      #{spec := Spec, id := CId} = maps:get(C, Nodes),
                      case maps:get(significant, Spec, false) of
                          true when Auto =:= never ->
                              invalid("~ts is significant under auto_shutdown never", [CId]);
                          true ->
                              maps:get(restart, Spec, permanent) =:= permanent
                                  andalso invalid("~ts is significant and permanent", [CId]);
                          _ -> ok
                      end,
                      validate_tree(C, Nodes)
              end, Cs)
    end.

%% ---------------------------------------------------------------------------------------
%% Steps

step(S, I) when is_map(S) ->
    At = case maps:get(<<"at">>, S, undefined) of
             A when is_integer(A), A >= 0 -> A;
             A when is_float(A), A >= 0, A == trunc(A) -> trunc(A);
             _ -> invalid("step ~p: \"at\" must be a non-negative integer", [I])
         end,
    Base = #{at => At, index => I, json => S},
    Path = fun(K) -> case maps:get(K, S) of
                         P when is_binary(P) -> P;
                         _ -> invalid("step ~p: ~ts is not a string", [I, K])
                     end end,
    Times = fun() -> case maps:get(<<"times">>, S, 1) of
                         N when is_integer(N), N >= 0 -> N;
                         _ -> invalid("step ~p: bad times", [I])
                     end end,
    if
        is_map_key(<<"exit">>, S) ->
            Base#{kind => exit, path => Path(<<"exit">>),
                  reason => reason(maps:get(<<"reason">>, S, <<"normal">>))};
        is_map_key(<<"fail_start">>, S) ->
            Base#{kind => fail_start, path => Path(<<"fail_start">>), times => Times(),
                  reason => reason(maps:get(<<"reason">>, S, <<"error">>))};
        is_map_key(<<"ignore_start">>, S) ->
            Base#{kind => ignore_start, path => Path(<<"ignore_start">>), times => Times()};
        is_map_key(<<"stop_delay">>, S) ->
            Ms = case maps:get(<<"ms">>, S, undefined) of
                     <<"never">> -> never;
                     M when is_integer(M), M >= 0 -> M;
                     _ -> invalid("step ~p: \"ms\" must be milliseconds or \"never\"", [I])
                 end,
            Base#{kind => stop_delay, path => Path(<<"stop_delay">>), ms => Ms};
        is_map_key(<<"call">>, S) ->
            Call = binary_to_atom(Path(<<"call">>), utf8),
            lists:member(Call, [start_child, terminate_child, restart_child, delete_child,
                                which_children, count_children, stop])
                orelse invalid("step ~p: unknown call ~p", [I, Call]),
            Base#{kind => call, call => Call, sup => Path(<<"sup">>),
                  child => maps:get(<<"child">>, S, undefined),
                  spec => maps:get(<<"spec">>, S, undefined),
                  args => maps:get(<<"args">>, S, [])};
        true -> invalid("step ~p: unknown step kind", [I])
    end;
step(_, I) -> invalid("step ~p is not an object", [I]).

check_times([], _) -> ok;
check_times([#{at := At, index := I} | _], Prev) when At < Prev ->
    invalid("step ~p: \"at\" decreases (~p after ~p)", [I, At, Prev]);
check_times([#{at := At} | T], _) -> check_times(T, At).

%% Reason tokens: normal, shutdown, shutdown:<token>, killed, or any other token.
reason(<<"shutdown:", T/binary>>) -> {shutdown, binary_to_atom(T, utf8)};
reason(B) when is_binary(B) -> binary_to_atom(B, utf8);
reason(_) -> invalid("a reason must be a string").

path_join(A, B) -> <<A/binary, "/", B/binary>>.
split_path(P) -> binary:split(P, <<"/">>, [global]).

%% ---------------------------------------------------------------------------------------
%% Step paths must name something: a node of the tree, an instance of a template, or a
%% child added by an earlier start_child step.

%% A child added by start_child can be named by the steps after that call (not before:
%% the same reading as the C# scenario reader).
check_step_paths(#{nodes := Nodes, root := Root, steps := Steps}) ->
    lists:foldl(fun(S, Extra) ->
                        check_step(S, Nodes, Root, Extra),
                        added_child(S, Nodes, Root, Extra)
                end, #{}, Steps),
    ok.

%% A start_child whose id already names a child changes nothing (OTP answers
%% already_started / already_present).
added_child(#{kind := call, call := start_child, sup := Sup, spec := Spec} = S, Nodes, Root, Extra)
  when is_map(Spec) ->
    case maps:get(<<"id">>, Spec, undefined) of
        Id when is_binary(Id) ->
            case resolve(path_join(Sup, Id), Nodes, Root, Extra) of
                {ok, _, _} -> Extra;
                error -> added_child(S, Extra)
            end;
        _ -> Extra
    end;
added_child(_, _, _, Extra) -> Extra.

added_child(#{kind := call, call := start_child, sup := Sup, spec := Spec}, Extra)
  when is_map(Spec) ->
    case maps:get(<<"id">>, Spec, undefined) of
        Id when is_binary(Id) ->
            Kind = case maps:is_key(<<"strategy">>, Spec) orelse
                       maps:get(<<"type">>, Spec, undefined) =:= <<"supervisor">> of
                       true -> {supervisor, Spec};
                       false -> worker
                   end,
            Extra#{path_join(Sup, Id) => Kind};
        _ -> Extra
    end;
added_child(_, Extra) -> Extra.

check_step(#{kind := call, call := Call, sup := Sup, index := I}, Nodes, Root, Extra) ->
    case resolve(Sup, Nodes, Root, Extra) of
        {ok, supervisor, _} -> ok;
        {ok, unknown, _} -> ok;
        {ok, worker, _} -> invalid("step ~p: ~ts is not a supervisor", [I, Sup]);
        error -> invalid("step ~p: ~ts names nothing", [I, Sup])
    end,
    RootId = maps:get(id, maps:get(Root, Nodes)),
    Call =:= stop andalso Sup =/= RootId
        andalso invalid("step ~p: stop on ~ts, which is not the root", [I, Sup]),
    ok;
check_step(#{kind := K, path := P, index := I}, Nodes, Root, Extra) ->
    case resolve(P, Nodes, Root, Extra) of
        {ok, supervisor, _} when K =:= exit; K =:= stop_delay ->
            invalid("step ~p: ~p aimed at supervisor ~ts", [I, K, P]);
        {ok, _, _} -> ok;
        error -> invalid("step ~p: ~ts names nothing", [I, P])
    end.

resolve(Path, Nodes, Root, Extra) ->
    case maps:find(Path, Extra) of
        {ok, worker} -> {ok, worker, none};
        {ok, {supervisor, _}} -> {ok, supervisor, none};
        error ->
            Under = [P || {P, {supervisor, _}} <- maps:to_list(Extra),
                          binary:longest_common_prefix([<<P/binary, "/">>, Path])
                              =:= byte_size(P) + 1],
            [First | Rest] = split_path(Path),
            case maps:get(id, maps:get(Root, Nodes)) of
                _ when Under =/= [] -> {ok, unknown, none};
                First -> walk(Rest, Root, Nodes, Path, Extra);
                _ -> error
            end
    end.

walk([], Nid, Nodes, _, _) -> {ok, maps:get(kind, maps:get(Nid, Nodes)), Nid};
walk([Seg | Rest], Nid, Nodes, Path, Extra) ->
    #{children := Cs, flags := Flags} = maps:get(Nid, Nodes),
    Simple = maps:get(strategy, Flags, one_for_one) =:= simple_one_for_one,
    [BaseId | Inst] = binary:split(Seg, <<"#">>),
    Match = [C || C <- Cs, maps:get(id, maps:get(C, Nodes)) =:= BaseId],
    case Match of
        [C] when Inst =:= [] -> walk(Rest, C, Nodes, Path, Extra);
        [C] when Simple -> walk(Rest, C, Nodes, Path, Extra);
        _ -> error
    end.
